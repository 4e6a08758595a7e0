// @dl/gnn — filled in by issue work in progress.
export {};
