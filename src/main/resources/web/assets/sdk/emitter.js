/** A small typed event emitter: `on` returns the function that removes the listener. */
export class Emitter {
    listeners = new Map();
    on(event, listener) {
        let set = this.listeners.get(event);
        if (!set) {
            set = new Set();
            this.listeners.set(event, set);
        }
        set.add(listener);
        return () => this.off(event, listener);
    }
    off(event, listener) {
        this.listeners.get(event)?.delete(listener);
    }
    emit(event, value) {
        for (const listener of [...(this.listeners.get(event) ?? [])]) {
            // One listener's bug must not keep the others (or the connection) from their frames.
            try {
                listener(value);
            }
            catch (e) {
                queueMicrotask(() => {
                    throw e;
                });
            }
        }
    }
}
