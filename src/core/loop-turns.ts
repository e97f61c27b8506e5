/**
 * Evidence that the event loop has turned since a user last looked: a count that I/O callbacks
 * bump (an HTTP response completing, in the session's response handler). A user at zero think time
 * yields to the event loop now and then so that CPU-only tasks cannot starve timers; a user whose
 * last task waited for a response has already let the loop turn (a response only completes in an
 * I/O callback, after the microtasks ran out), so it need not yield as well. Skipping those yields
 * saved ~1.4 % of CPU per request (bench/side-by-side.ts, session 15).
 *
 * One per run (per thread), passed down to the sessions, which bump it, and to the user loops,
 * which read it.
 */
export class LoopTurns {
  count = 0;
}
