/*
 * @plinth/sdk: how a plugin installed as an npm package reaches the kernel SDK.
 * The app depends on this folder (`file:packages/sdk`), so the package resolves
 * to the app's own app/sdk/index: one module instance, one TenantScopedModel,
 * one tenant context. See app/sdk/index.ts for the surface and its versioning.
 */
export * from '../../app/sdk/index.js'
