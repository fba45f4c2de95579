'use strict';
/**
 * Preloaded (`node --require`) into every service that scripts/start.js supervises. The supervisor opens an
 * IPC channel to each child; when the supervisor dies without stopping its children (SIGKILL, crash,
 * closed terminal), the channel closes and the child shuts itself down the same way as on SIGTERM, so
 * no service outlives `npm start`. Without a channel (the service started directly), this does nothing.
 */
if (typeof process.send === 'function' && process.channel) {
  process.channel.unref(); // the channel alone must not keep the service alive
  process.once('disconnect', () => {
    process.kill(process.pid, 'SIGTERM');
    // the service's own SIGTERM handler normally exits well before this
    setTimeout(() => process.exit(1), 15_000).unref();
  });
}
