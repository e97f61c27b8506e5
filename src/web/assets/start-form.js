// @ts-check
import { byId, element } from './dom.js';

/**
 * The start form (#start-form): prefilled from api/config, posted to `swarm` with Locust's field
 * names so the same request works against brood's Locust-compatible endpoint.
 *
 * @typedef {import('../ui-payload.js').UiConfig} UiConfig
 * @typedef {import('../ui-payload.js').UiClass} UiClass
 */

export function createStartForm() {
  const form = byId('start-form', HTMLFormElement);
  const fields = {
    users: byId('user_count', HTMLInputElement),
    rate: byId('spawn_rate', HTMLInputElement),
    host: byId('host', HTMLInputElement),
    runTime: byId('run_time', HTMLInputElement),
    shape: byId('shape_class', HTMLSelectElement),
    classes: byId('class-list', HTMLElement),
    classPicker: byId('class-picker', HTMLFieldSetElement),
    steeringNote: byId('steering-note', HTMLElement),
  };
  let openModel = false;

  /** @param {UiConfig} config */
  function prefill(config) {
    fields.users.value = String(config.users);
    fields.rate.value = String(config.spawnRate);
    fields.host.value = config.host;
    fields.host.placeholder = 'built-in demo server';
    fields.runTime.value = config.runTime;
    fields.classes.replaceChildren(...config.classes.map(classCheckbox));
    fields.classPicker.hidden = config.classes.length === 0;
    fields.shape.replaceChildren(...config.shapes.map((name) => new Option(name, name)));
    fields.shape.value = config.shapes.includes(config.shape) ? config.shape : 'none';
    openModel = config.openModel;
    updateSteering();
  }

  /**
   * Users and spawn rate mean nothing when a shape or the open model's arrival rate decides the
   * load, so they are greyed out with a note saying who decides instead.
   */
  function updateSteering() {
    const shaped = fields.shape.value !== '' && fields.shape.value !== 'none';
    const steered = openModel || shaped;
    fields.users.disabled = steered;
    fields.rate.disabled = steered;
    fields.steeringNote.hidden = !steered;
    fields.steeringNote.textContent = openModel
      ? 'This is an open-model run: its arrival rate comes from the command line (--target-rate), not from users and spawn rate.'
      : 'The load shape decides the users and the spawn rate.';
  }

  /**
   * The POST body. Disabled inputs are still sent: the server may require the fields even when a
   * shape or the open model ignores them.
   * @returns {Array<[string, string]>}
   */
  function values() {
    /** @type {Array<[string, string]>} */
    const body = [
      ['user_count', fields.users.value.trim()],
      ['spawn_rate', fields.rate.value.trim()],
      ['host', fields.host.value.trim()],
      ['run_time', fields.runTime.value.trim()],
    ];
    for (const box of fields.classes.querySelectorAll('input[name="user_classes"]')) {
      if (box instanceof HTMLInputElement && box.checked) body.push(['user_classes', box.value]);
    }
    body.push(['shape_class', fields.shape.value || 'none']);
    return body;
  }

  function focus() {
    form.scrollIntoView({ block: 'nearest' });
    (fields.users.disabled ? fields.runTime : fields.users).focus();
  }

  fields.shape.addEventListener('change', updateSteering);
  return { form, prefill, values, focus };
}

/** @param {UiClass} userClass */
function classCheckbox(userClass) {
  const box = element('input');
  box.type = 'checkbox';
  box.name = 'user_classes';
  box.value = userClass.name;
  box.checked = userClass.selected;
  return element('label', { className: 'check' }, [box, ` ${userClass.name} `, element('span', { className: 'weight', text: `(weight ${userClass.weight})` })]);
}
