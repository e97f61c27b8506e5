/**
 * An object that throws on reading a field it has not got, naming those it has. For the objects a
 * port of a Locust file reads by Locust's names (`environment.runner.user_count`,
 * `environment.stats.total.fail_ration`): undefined there would let a check pass, or skip a branch,
 * without a word. Symbols, `then` (an await) and `toJSON` read as usual.
 */
export function strictView<T extends object>(obj: T, path: string, note = ''): T {
  return new Proxy(obj, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target || prop === 'then' || prop === 'toJSON') return Reflect.get(target, prop, receiver) as unknown;
      const has = Object.keys(target).filter((k) => !/[A-Z]/.test(k)).join(', ');
      throw new TypeError(`${path} has no '${prop}' (brood has: ${has}${note})`);
    },
  });
}

/**
 * The same guard for a class's instances, at no cost per access: set as the last prototype of the
 * class (`Object.setPrototypeOf(Cls.prototype, missGuard(…))`), it is reached only by a read that
 * missed every field and method before it, and throws naming `has`. Object.prototype's members,
 * symbols, `then` and `toJSON` read as usual.
 */
export function missGuard(path: string, has: readonly string[]): object {
  const base: object = Object.prototype;
  return new Proxy(Object.create(base) as object, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target || prop === 'then' || prop === 'toJSON') return Reflect.get(target, prop, receiver) as unknown;
      throw new TypeError(`${path} has no '${prop}' (brood has: ${has.join(', ')})`);
    },
  });
}
