import { ago } from '#lib/db/interval';

type Db = typeof import('#lib/db/index');

/** A host and `count` published listings, one minute apart, newest last; returns their ids oldest first. */
export async function publishListings(
  { db, schema }: Db,
  count: number,
  options: {
    city?: string;
    price?: (i: number) => number;
    guests?: (i: number) => number;
    minutesAgo?: number;
  } = {},
): Promise<{ hostId: string; ids: string[] }> {
  const [host] = await db()
    .insert(schema.hosts)
    .values({
      email: `host-${Math.random().toString(36).slice(2)}@example.com`,
      name: 'Ngozi Host',
    })
    .returning();
  const start = options.minutesAgo ?? count + 10;
  const rows = await db()
    .insert(schema.listings)
    .values(
      Array.from({ length: count }, (_, i) => ({
        hostId: host!.id,
        status: 'published' as const,
        title: `Stay ${i}`,
        city: options.city ?? 'Lagos',
        pricePerNight: options.price?.(i) ?? 5_000_000,
        maxGuests: options.guests?.(i) ?? 2,
        publishedAt: ago((start - i) * 60),
      })),
    )
    .returning({ id: schema.listings.id });
  return { hostId: host!.id, ids: rows.map((r) => r.id) };
}
