// @ts-check
/**
 * The page's POSTs: form-encoded like Locust's own UI posts, so brood's Locust-compatible
 * endpoints and the page share one parser. Every outcome, including a network failure or a
 * non-JSON error page from a proxy, comes back as { success, message } for #message to show.
 *
 * @typedef {{ success: boolean, message: string, host?: string }} PostAnswer
 */

/**
 * @param {string} url  relative, so the page keeps working under a proxy's base path
 * @param {Array<[string, string]>} fields
 * @returns {Promise<PostAnswer>}
 */
export async function postForm(url, fields) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(url, { method: 'POST', body: new URLSearchParams(fields) });
  } catch (error) {
    return { success: false, message: `Could not reach brood (${error instanceof Error ? error.message : String(error)})` };
  }
  const text = await response.text().catch(() => '');
  return readAnswer(response, text);
}

/**
 * @param {Response} response
 * @param {string} text
 * @returns {PostAnswer}
 */
function readAnswer(response, text) {
  const json = parseJsonObject(text);
  if (json && typeof json.success === 'boolean') {
    /** @type {PostAnswer} */
    const answer = { success: json.success && response.ok, message: typeof json.message === 'string' ? json.message : '' };
    if (typeof json.host === 'string') answer.host = json.host;
    return answer;
  }
  if (response.ok) return { success: true, message: '' };
  const detail = text.trim().slice(0, 300);
  return { success: false, message: `${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}` };
}

/**
 * @param {string} text
 * @returns {Record<string, unknown> | null}
 */
function parseJsonObject(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}
