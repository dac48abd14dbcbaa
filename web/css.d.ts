// Vite bundles CSS imported from a module.
declare module "*.css";
