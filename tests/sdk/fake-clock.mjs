// A device clock that is wrong by a settable offset: `new Date()` and `Date.now()` return real time + offset.
// posthog-node stamps `timestamp` at capture and `sent_at` at flush with `new Date()`, so moving the offset
// between the two makes a skewed device (same offset) or an offline queue (capture behind, flush on time).
const RealDate = Date;
let offsetMs = 0;

class DeviceDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) {
      super(RealDate.now() + offsetMs);
    } else {
      super(...args);
    }
  }

  static now() {
    return RealDate.now() + offsetMs;
  }
}

globalThis.Date = DeviceDate;

export function setClockOffset(ms) {
  offsetMs = ms;
}
