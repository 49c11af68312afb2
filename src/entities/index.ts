/** The pure entity core: model, topics, ids, discovery payloads, state documents and the registry diff. */
export * from "./model.js";
export * from "./haTables.js";
export * from "./topics.js";
export * from "./ids.js";
export * from "./templates.js";
export * from "./stateDoc.js";
export * from "./checkSpec.js";
export * from "./discovery.js";
export * from "./registry.js";
