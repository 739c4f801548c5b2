/**
 * The two web globals chai 6 needs at load (it announces plugins through an EventTarget)
 * and QuickJS lacks. Only what chai calls: addEventListener, removeEventListener and
 * dispatchEvent with plain listener functions.
 */
const scope = globalThis as Record<string, unknown>;

if (typeof scope.Event !== "function") {
  scope.Event = class Event {
    readonly type: string;
    constructor(type: string) {
      this.type = type;
    }
  };
}

if (typeof scope.EventTarget !== "function") {
  scope.EventTarget = class EventTarget {
    #listeners = new Map<string, Set<(event: unknown) => void>>();
    addEventListener(type: string, listener: (event: unknown) => void) {
      const set = this.#listeners.get(type) ?? new Set();
      set.add(listener);
      this.#listeners.set(type, set);
    }
    removeEventListener(type: string, listener: (event: unknown) => void) {
      this.#listeners.get(type)?.delete(listener);
    }
    dispatchEvent(event: { type: string }) {
      for (const listener of this.#listeners.get(event.type) ?? []) listener(event);
      return true;
    }
  };
}
