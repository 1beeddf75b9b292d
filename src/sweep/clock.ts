/** Milliseconds from an arbitrary origin. Tests inject a fake; the sweep uses performance.now. */
export type Clock = () => number

export const realClock: Clock = () => performance.now()
