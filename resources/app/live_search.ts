import { ref, watch } from 'vue'
import { router } from '@inertiajs/vue3'

/*
 * Search as you type: a ref bound to the search box; 200 ms after the last
 * key the page reloads only the `only` props with ?search= (empty drops it),
 * keeping its state and replacing the history entry.
 */
export function useLiveSearch(initial: string, only: string[]) {
  const search = ref(initial)
  let timer: ReturnType<typeof setTimeout> | undefined
  watch(search, (value) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      router.reload({
        data: { search: value || undefined },
        only,
        preserveState: true,
        replace: true,
      } as any)
    }, 200)
  })
  return search
}
