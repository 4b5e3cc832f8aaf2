import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { asc, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '#lib/db/schema/index';
import { LOCAL_S3_CREDENTIALS, type S3Credentials } from '#local/emulators/s3/index';
import { seedImage } from '#local/seed/images';

const day = 24 * 60 * 60 * 1000;
const dateOnly = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * day).toISOString().slice(0, 10);

const HOSTS = [
  { name: 'Adaeze Okafor', phone: '+2348031234501', email: 'adaeze@example.com' },
  { name: 'Tunde Bakare', phone: '+2348031234502', email: 'tunde@example.com' },
  { name: 'Akosua Mensah', phone: '+233201234503', email: 'akosua@example.com' },
  { name: 'Wanjiru Kamau', phone: '+254711234504', email: 'wanjiru@example.com' },
];

const GUESTS = [
  { name: 'Chidi Eze', phone: '+2348051234511', email: 'chidi@example.com' },
  { name: 'Zainab Bello', phone: '+2348051234512', email: 'zainab@example.com' },
  { name: 'Kwame Asante', phone: '+233241234513', email: 'kwame@example.com' },
  { name: 'Amina Yusuf', phone: '+2348051234514', email: 'amina@example.com' },
];

const LISTINGS: Array<{
  host: number;
  title: string;
  city: string;
  address: string;
  price: number;
  currency: string;
  guests: number;
  amenities: string[];
  published: boolean;
}> = [
  {
    host: 0,
    title: 'Lekki Phase 1 two-bed with sea breeze',
    city: 'Lagos',
    address: '12 Admiralty Way, Lekki',
    price: 8500000,
    currency: 'NGN',
    guests: 4,
    amenities: ['wifi', 'generator', 'pool'],
    published: true,
  },
  {
    host: 0,
    title: 'Ikoyi studio near Falomo Bridge',
    city: 'Lagos',
    address: '3 Bourdillon Rd, Ikoyi',
    price: 6500000,
    currency: 'NGN',
    guests: 2,
    amenities: ['wifi', 'inverter', 'gym'],
    published: true,
  },
  {
    host: 1,
    title: 'Victoria Island penthouse, 24h power',
    city: 'Lagos',
    address: '44 Ahmadu Bello Way, VI',
    price: 25000000,
    currency: 'NGN',
    guests: 6,
    amenities: ['wifi', 'generator', 'rooftop'],
    published: true,
  },
  {
    host: 1,
    title: 'Yaba loft for tech visitors',
    city: 'Lagos',
    address: '9 Herbert Macaulay Way, Yaba',
    price: 3500000,
    currency: 'NGN',
    guests: 2,
    amenities: ['wifi', 'workspace'],
    published: true,
  },
  {
    host: 1,
    title: 'Wuse II serviced apartment',
    city: 'Abuja',
    address: '21 Aminu Kano Cres, Wuse II',
    price: 7000000,
    currency: 'NGN',
    guests: 3,
    amenities: ['wifi', 'generator', 'parking'],
    published: true,
  },
  {
    host: 0,
    title: 'Maitama garden duplex',
    city: 'Abuja',
    address: '5 Gana St, Maitama',
    price: 18000000,
    currency: 'NGN',
    guests: 8,
    amenities: ['wifi', 'garden', 'security'],
    published: true,
  },
  {
    host: 1,
    title: 'GRA Phase 2 family home',
    city: 'Port Harcourt',
    address: '17 Tombia St, GRA',
    price: 6000000,
    currency: 'NGN',
    guests: 5,
    amenities: ['wifi', 'generator'],
    published: true,
  },
  {
    host: 2,
    title: 'East Legon villa with pool',
    city: 'Accra',
    address: '8 Lagos Ave, East Legon',
    price: 150000,
    currency: 'GHS',
    guests: 6,
    amenities: ['wifi', 'pool', 'air conditioning'],
    published: true,
  },
  {
    host: 2,
    title: 'Osu one-bed by Oxford Street',
    city: 'Accra',
    address: '2 Oxford St, Osu',
    price: 60000,
    currency: 'GHS',
    guests: 2,
    amenities: ['wifi'],
    published: true,
  },
  {
    host: 3,
    title: 'Kilimani apartment with city views',
    city: 'Nairobi',
    address: 'Argwings Kodhek Rd, Kilimani',
    price: 850000,
    currency: 'KES',
    guests: 3,
    amenities: ['wifi', 'gym'],
    published: true,
  },
  {
    host: 3,
    title: 'Westlands studio (draft)',
    city: 'Nairobi',
    address: 'Waiyaki Way, Westlands',
    price: 500000,
    currency: 'KES',
    guests: 2,
    amenities: ['wifi'],
    published: false,
  },
  {
    host: 0,
    title: 'Surulere room (being set up)',
    city: 'Lagos',
    address: '30 Adeniran Ogunsanya St',
    price: 2000000,
    currency: 'NGN',
    guests: 1,
    amenities: [],
    published: false,
  },
];

/**
 * Loads believable demo data: hosts, guests, one admin, listings across five cities,
 * bookings and a few conversations. Does nothing when the database already has hosts,
 * unless `force`, which empties the data tables first. Returns whether it seeded.
 */
export async function seed(url: string, options: { force?: boolean } = {}): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = drizzle({ client, schema });
  try {
    const [{ n } = { n: 0 }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.hosts);
    if (n > 0 && !options.force) return false;
    await db.transaction(async (tx) => {
      if (options.force) {
        await tx.execute(sql`truncate messages, conversations, reviews, payouts, payments, bookings, listing_counts,
          wishlist_items, listing_photos, listings, identity_documents, host_payout_accounts,
          push_tokens, refresh_tokens, otp_codes, hosts, users, admins cascade`);
      }
      const hosts = await tx.insert(schema.hosts).values(HOSTS).returning();
      const guests = await tx.insert(schema.users).values(GUESTS).returning();
      await tx.insert(schema.admins).values({ email: 'admin@example.com', name: 'Ops Admin' });

      const listings = [];
      for (const [i, l] of LISTINGS.entries()) {
        const [row] = await tx
          .insert(schema.listings)
          .values({
            hostId: hosts[l.host]!.id,
            status: l.published ? 'published' : 'draft',
            title: l.title,
            description: `${l.title}. Clean, secure and close to the best of ${l.city}.`,
            city: l.city,
            address: l.address,
            pricePerNight: l.price,
            currency: l.currency,
            maxGuests: l.guests,
            amenities: l.amenities,
            publishedAt: l.published
              ? new Date(Date.now() - (LISTINGS.length - i) * 3600_000)
              : null,
          })
          .returning();
        listings.push(row!);
        await tx.insert(schema.listingPhotos).values(
          [0, 1].map((position) => ({
            listingId: row!.id,
            s3Key: `listings/${row!.id}/seed-${position}.png`,
            position,
          })),
        );
      }

      const published = listings.filter((l) => l.status === 'published');
      for (const [i, listing] of published.slice(0, 6).entries()) {
        const guest = guests[i % guests.length]!;
        const nights = 2 + (i % 3);
        await tx.insert(schema.bookings).values({
          listingId: listing.id,
          guestId: guest.id,
          hostId: listing.hostId,
          checkIn: dateOnly(7 + i * 3),
          checkOut: dateOnly(7 + i * 3 + nights),
          guests: 1 + (i % 2),
          status: i % 3 === 0 ? 'requested' : 'confirmed',
          nightlyPrice: listing.pricePerNight,
          subtotal: nights * listing.pricePerNight,
          totalAmount: nights * listing.pricePerNight,
          hostPayout: nights * listing.pricePerNight,
          currency: listing.currency,
        });
      }

      for (const [i, listing] of published.slice(0, 3).entries()) {
        const guest = guests[i]!;
        const [conversation] = await tx
          .insert(schema.conversations)
          .values({
            userId: guest.id,
            hostId: listing.hostId,
            listingId: listing.id,
            lastMessageAt: new Date(),
          })
          .returning();
        await tx.insert(schema.messages).values([
          {
            conversationId: conversation!.id,
            senderRole: 'user',
            senderId: guest.id,
            body: `Hello! Is "${listing.title}" free next weekend?`,
          },
          {
            conversationId: conversation!.id,
            senderRole: 'host',
            senderId: listing.hostId,
            body: 'Yes, it is. Power is steady and there is parking.',
          },
        ]);
      }
    });
    return true;
  } finally {
    await client.end();
  }
}

/**
 * The keys of the seed's photos. Databases seeded before the photos existed named them `.jpg`;
 * those get the same PNG bytes, served as image/png, which is all a browser looks at.
 */
const SEED_PHOTO_KEY = '^listings/[0-9a-f-]{36}/seed-[0-9]+\\.(png|jpg)$';

/**
 * Puts the seeded listings' photos into the public bucket of a local S3, each one that is not
 * there already (a HEAD per seeded photo, a few dozen). Returns the keys it uploaded.
 */
export async function uploadSeedPhotos(
  url: string,
  target: { endpoint: string; bucket: string; credentials?: S3Credentials },
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { listingPhotos } = schema;
  const rows = await drizzle({ client, schema })
    .select({ key: listingPhotos.s3Key })
    .from(listingPhotos)
    .where(sql`${listingPhotos.s3Key} ~ ${SEED_PHOTO_KEY}`)
    .orderBy(asc(listingPhotos.s3Key))
    .finally(() => client.end());
  const s3 = new S3Client({
    endpoint: target.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: target.credentials ?? LOCAL_S3_CREDENTIALS,
  });
  try {
    const present = await Promise.all(
      rows.map(({ key }) =>
        s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key })).then(
          () => true,
          (error: { $metadata?: { httpStatusCode?: number } }) => {
            if (error.$metadata?.httpStatusCode === 404) return false;
            throw error;
          },
        ),
      ),
    );
    const missing = rows.map(({ key }) => key).filter((_, i) => !present[i]);
    for (const key of missing) {
      await s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: seedImage(key),
          ContentType: 'image/png',
        }),
      );
    }
    return missing;
  } finally {
    s3.destroy();
  }
}
