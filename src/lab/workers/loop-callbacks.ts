// What the loop disciplines pass around.

export type Callback = () => void;
