/* The pages of plugins installed outside plugins/ (app/plugins/web/vite_plugin_pages.ts). */
declare module 'virtual:plinth/plugin-pages' {
  import type { DefineComponent } from 'vue'
  const pages: Record<string, () => Promise<{ default: DefineComponent }>>
  export default pages
}
