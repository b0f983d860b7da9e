import { type ItemResult, itemErrorMessage } from '../drata/custom-data.js'
import { idText } from '../evidence/assemble.js'

/** A record Drata did not accept. */
export interface Failure {
  id: string
  /** Per-item or HTTP status; 0 when no answer proved the record was stored. */
  status: number
  message: string
}

/**
 * Checks a bulk response item by item. A 200 response can still hold rejected records, and a
 * response that does not account for every record proves nothing, so both are failures.
 */
export function checkItems(ids: readonly string[], items: readonly ItemResult[]): Failure[] {
  if (items.length !== ids.length) {
    return ids.map((id) => ({
      id,
      status: 0,
      message: `Drata answered ${items.length} results for ${ids.length} records; the upload cannot be verified`,
    }))
  }
  const failures: Failure[] = []
  items.forEach((item, index) => {
    const id = ids[index] as string
    const status = item.statusCode ?? 0
    if (status !== 200 && status !== 201) {
      failures.push({ id, status, message: itemErrorMessage(item) })
    } else if (echoedId(item) !== undefined && echoedId(item) !== id) {
      failures.push({
        id,
        status,
        message: `Drata answered for record '${echoedId(item)}' in its place`,
      })
    }
  })
  return failures
}

// Drata's example answers with an internal UUID as `id`; only the echoed data.id names the record.
function echoedId(item: ItemResult): string | undefined {
  const data = item.data as { id?: unknown } | undefined
  return data?.id === undefined ? undefined : idText(data.id)
}

/** "Drata rejected N of M records", or "…rejected or did not confirm…" when some were unverifiable. */
export function rejectedText(failures: readonly Failure[], total: number): string {
  const unconfirmed = failures.some((f) => f.status === 0)
  return `Drata ${unconfirmed ? 'rejected or did not confirm' : 'rejected'} ${failures.length} of ${total} records`
}
