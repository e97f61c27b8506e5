/**
 * Making untrusted text (endpoint names, error messages, tracebacks: they come from the network
 * and from test code) safe to print on a terminal. A hostile server must not be able to clear the
 * screen, move the cursor, rewrite earlier lines or reorder text in what the user reads.
 */

// ANSI/VT sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), DCS/SOS/PM/APC strings,
// the 8-bit CSI (0x9b), and any other two-character ESC sequence.
const ANSI_SEQUENCE =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|$)|\x1b[ -/]*[0-~]?/g;

// C0 controls (except the ones a caller may keep), DEL, C1 controls, and the Unicode bidi
// overrides/isolates that can visually reorder a line ("Trojan Source").
const CONTROL_CHARS = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_CHARS_EXCEPT_LF = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of plain text: escape sequences and every control character removed (tabs, CR and LF included). */
export function stripControl(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL_CHARS, '');
}

/**
 * Several lines of plain text (tracebacks): like stripControl but line feeds are kept, CRLF and
 * lone CR become LF, and tabs become two spaces so columns stay readable.
 */
export function stripControlMultiline(text: string): string {
  return text
    .replace(ANSI_SEQUENCE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROL_CHARS_EXCEPT_LF, '');
}
