// What the loop disciplines pass around: callbacks, and requests Node read that the loop reads later.

export type Callback = () => void;

/** A request Node has read that the loop will read later, with its connection (closed ones never are). */
export interface Held {
  read: Callback;
  connection: object | undefined;
}
