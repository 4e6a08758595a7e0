// @dl/rnn — filled in by issue work in progress.
export {};
