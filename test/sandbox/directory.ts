import { notFound } from './errors.ts'
import type {
  ConnectionCompactDto,
  UserCompactDto,
  UserConfig,
  UserDto,
  VendorConfig,
} from './types.ts'

/**
 * When the account's users, vendors and connections came to be. A fixed instant rather than the
 * sandbox clock, so starting a sandbox does not consume a reading of a test's fake clock.
 */
export const ACCOUNT_CREATED_AT = '2024-01-01T00:00:00.000Z'

export const DEFAULT_USERS: UserConfig[] = [
  { id: 1, email: 'admin@acme.example' },
  { id: 2, email: 'sec@acme.example' },
]

export const DEFAULT_VENDORS: VendorConfig[] = [
  { id: 11, name: 'Stripe' },
  { id: 12, name: 'Sentry' },
]

/** The account's users, vendors and custom connections: what the write endpoints refer to. */
export class Directory {
  readonly #users = new Map<number, UserConfig>()
  readonly #vendors = new Map<number, VendorConfig>()
  readonly #connections: Set<number>

  constructor(users: UserConfig[], vendors: VendorConfig[], connectionIds: number[]) {
    for (const user of users) {
      if (!Number.isSafeInteger(user.id) || user.id < 1) {
        throw new Error(`users: invalid id ${String(user.id)}`)
      }
      if (this.#users.has(user.id)) throw new Error(`users: duplicate id ${user.id}`)
      this.#users.set(user.id, { ...user })
    }
    for (const vendor of vendors) {
      if (!Number.isSafeInteger(vendor.id) || vendor.id < 1) {
        throw new Error(`vendors: invalid id ${String(vendor.id)}`)
      }
      if (this.#vendors.has(vendor.id)) throw new Error(`vendors: duplicate id ${vendor.id}`)
      this.#vendors.set(vendor.id, { ...vendor })
    }
    this.#connections = new Set(connectionIds)
  }

  hasUser(id: number): boolean {
    return this.#users.has(id)
  }

  /** The user, or a 404 naming the request field that referred to it. */
  requireUser(id: number, field: string): UserConfig {
    const user = this.#users.get(id)
    if (!user) throw notFound(`User with ${field} ${id} not found`)
    return user
  }

  /** The vendor, or 404. */
  requireVendor(id: number): VendorConfig {
    const vendor = this.#vendors.get(id)
    if (!vendor) throw notFound(`Vendor ${id} not found`)
    return vendor
  }

  hasVendor(id: number): boolean {
    return this.#vendors.has(id)
  }

  /** The "platform admin user": the first configured user (assumption; Drata does not say). */
  adminUserId(): number | null {
    return this.#users.keys().next().value ?? null
  }

  /** UserCompactResponsePublicV2Dto of an existing user. */
  compactUser(id: number): UserCompactDto {
    const user = this.#users.get(id)
    if (!user) throw new Error(`Unknown user ${id}`)
    return {
      id: user.id,
      email: user.email,
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      createdAt: ACCOUNT_CREATED_AT,
      updatedAt: ACCOUNT_CREATED_AT,
    }
  }

  /** UserResponsePublicV2Dto (no expansions) of an existing user. */
  user(id: number): UserDto {
    return { ...this.compactUser(id), jobTitle: null, avatarUrl: null, drataTermsAgreedAt: null }
  }

  /** How event descriptions name a user: full name, else email. */
  displayName(id: number): string {
    const user = this.#users.get(id)
    if (!user) return `User ${id}`
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
    return name || user.email
  }

  vendorName(id: number): string {
    return this.#vendors.get(id)?.name ?? `Vendor ${id}`
  }

  /** ConnectionCompactResponsePublicV2Dto of a custom connection, or null if there is none. */
  connection(id: number): ConnectionCompactDto | null {
    if (!this.#connections.has(id)) return null
    return {
      id,
      clientType: 'CUSTOM',
      clientId: null,
      clientAlias: null,
      state: 'ACTIVE',
      createdAt: ACCOUNT_CREATED_AT,
      updatedAt: ACCOUNT_CREATED_AT,
      connectedAt: ACCOUNT_CREATED_AT,
      failedAt: null,
      deletedAt: null,
    }
  }
}
