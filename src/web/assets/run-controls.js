// @ts-check
import { byId, isSameOriginLink } from './dom.js';

/**
 * What the user can do to a run, by state: start it (ready, stopped), steer, stop or reset it
 * (spawning, running), open its report (stopped). Only the buttons that make sense are shown.
 *
 * @typedef {import('../ui-payload.js').UiUpdate} UiUpdate
 */

export function createRunControls() {
  const nodes = {
    running: byId('running-controls', HTMLElement),
    editForm: byId('edit-form', HTMLFormElement),
    editUsers: byId('edit_user_count', HTMLInputElement),
    editRate: byId('edit_spawn_rate', HTMLInputElement),
    editButton: byId('edit-button', HTMLButtonElement),
    editNote: byId('edit-note', HTMLElement),
    stop: byId('stop-button', HTMLButtonElement),
    reset: byId('reset-button', HTMLButtonElement),
    stopped: byId('stopped-controls', HTMLElement),
    newRun: byId('new-run-button', HTMLButtonElement),
    report: byId('report-link', HTMLAnchorElement),
  };
  const edit = { dirty: false, state: '' };
  // Typing in the edit form must not be undone by the next second's update.
  for (const input of [nodes.editUsers, nodes.editRate]) input.addEventListener('input', () => (edit.dirty = true));

  /**
   * @param {UiUpdate} update
   * @param {HTMLFormElement} startForm
   */
  function render(update, startForm) {
    const active = update.state === 'spawning' || update.state === 'running';
    startForm.hidden = !(update.state === 'ready' || update.state === 'stopped');
    nodes.running.hidden = !active;
    nodes.stopped.hidden = update.state !== 'stopped';
    if (active && edit.state !== 'spawning' && edit.state !== 'running') edit.dirty = false;
    edit.state = update.state;
    if (active) prefillEdit(update);
    renderReport(update.report);
  }

  /** @param {UiUpdate} update */
  function prefillEdit(update) {
    const steerable = update.targetUsers !== null;
    nodes.editUsers.disabled = !steerable;
    nodes.editRate.disabled = !steerable;
    nodes.editButton.disabled = !steerable;
    nodes.editNote.hidden = steerable;
    if (!steerable || edit.dirty || nodes.editForm.contains(document.activeElement)) return;
    nodes.editUsers.value = String(update.targetUsers);
    nodes.editRate.value = update.spawnRate === null ? '' : String(update.spawnRate);
  }

  /** @param {string | null} report */
  function renderReport(report) {
    const usable = report !== null && isSameOriginLink(report);
    nodes.report.hidden = !usable;
    if (usable && nodes.report.getAttribute('href') !== report) nodes.report.href = report;
  }

  /** @returns {Array<[string, string]>} */
  function editValues() {
    return [
      ['user_count', nodes.editUsers.value.trim()],
      ['spawn_rate', nodes.editRate.value.trim()],
    ];
  }

  return { nodes, render, editValues, editSent: () => (edit.dirty = false) };
}
