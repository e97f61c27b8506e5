/** Common English words that never become concepts or index tokens (lower case). */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and', 'any', 'are',
  'as', 'at', 'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by',
  'can', 'could', 'did', 'do', 'does', 'doing', 'done', 'down', 'during', 'each', 'even', 'every',
  'few', 'for', 'from', 'further', 'get', 'gets', 'got', 'had', 'has', 'have', 'having', 'he', 'her',
  'here', 'hers', 'herself', 'him', 'himself', 'his', 'how', 'however', 'i', 'if', 'in', 'into', 'is',
  'it', 'its', 'itself', 'just', 'know', 'let', 'like', 'made', 'make', 'many', 'may', 'me', 'might',
  'more', 'most', 'much', 'must', 'my', 'myself', 'need', 'no', 'nor', 'not', 'now', 'of', 'off',
  'often', 'on', 'once', 'only', 'or', 'other', 'ought', 'our', 'ours', 'ourselves', 'out', 'over',
  'own', 'please', 'really', 'same', 'say', 'said', 'says', 'see', 'she', 'should', 'since', 'so',
  'some', 'such', 'sure', 'take', 'tell', 'than', 'thank', 'thanks', 'that', 'the', 'their',
  'theirs', 'them', 'themselves', 'then', 'there', 'these', 'they', 'thing', 'things', 'think',
  'this', 'those', 'though', 'through', 'to', 'too', 'under', 'until', 'up', 'upon', 'us', 'use',
  'used', 'using', 'very', 'want', 'was', 'way', 'we', 'well', 'were', 'what', 'when', 'where',
  'whether', 'which', 'while', 'who', 'whom', 'why', 'will', 'with', 'within', 'without', 'would',
  'yes', 'yet', 'you', 'your', 'yours', 'yourself', 'yourselves',
]);
