import { checkChannel } from './database';

/** Subscribers by notification channel, in process (both backends dispatch through one). */
export class ChannelHandlers {
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();

  /** Subscribes; `first` tells whether the channel is new (the caller may have to LISTEN). */
  add(channel: string, fn: (payload: string) => void): { first: boolean; remove: () => void } {
    checkChannel(channel);
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(fn);
    const subscribed = set;
    return { first, remove: () => void subscribed.delete(fn) };
  }

  channels(): string[] {
    return [...this.handlers.keys()];
  }

  /** Calls every subscriber of the channel; a throwing one does not stop the others. */
  dispatch(channel: string, payload: string, onError: (err: unknown) => void): void {
    for (const fn of this.handlers.get(channel) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        onError(err);
      }
    }
  }
}
