// @dl/attention — filled in by issue work in progress.
export {};
