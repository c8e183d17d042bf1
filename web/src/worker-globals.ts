// The Kusto language service (Bridge.NET output) expects Node's `global`; in a worker it is `self`.
(self as unknown as { global: typeof globalThis }).global = self;
export {};
