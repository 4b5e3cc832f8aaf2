import pg from 'pg';

export interface SynthSizes {
  listings: number;
  conversations: number;
  messages: number;
}

const CITIES = ['Lagos', 'Abuja', 'Port Harcourt', 'Accra', 'Nairobi', 'Ibadan', 'Kano', 'Kigali'];

/**
 * Fills a migrated database with synthetic marketplace data at benchmark sizes, generated
 * inside Postgres (generate_series) so 200K listings take seconds. Triggers are off during
 * the load (session_replication_role), so the card copies are written directly.
 */
export async function synthesize(url: string, sizes: SynthSizes): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const hosts = Math.max(10, Math.ceil(sizes.listings / 10));
  const users = Math.max(100, Math.ceil(sizes.listings / 4));
  try {
    await client.query('begin');
    await client.query("set local session_replication_role = 'replica'");
    await client.query(
      `truncate messages, conversations, reviews, payouts, payments, bookings, wishlist_items,
        listing_photos, listings, listing_counts, identity_documents, host_payout_accounts, push_tokens,
        refresh_tokens, otp_codes, hosts, users cascade`,
    );
    await client.query(
      `insert into hosts (phone, name, created_at)
       select '+234809' || lpad(i::text, 7, '0'), 'Host ' || i, now() - interval '400 days'
       from generate_series(1, $1) i`,
      [hosts],
    );
    await client.query(
      `insert into users (phone, name, created_at)
       select '+234701' || lpad(i::text, 7, '0'), 'Guest ' || i, now() - interval '300 days'
       from generate_series(1, $1) i`,
      [users],
    );
    // Listings are created over time, so the heap is in roughly publication order, as it
    // would be in production. 90% published, 7% draft, 3% suspended.
    await client.query(
      `with h as (select id, name, row_number() over (order by created_at, id) as n from hosts),
       src as (
         select i, (i % $2) + 1 as host_n, ($3::text[])[1 + (i * 7) % array_length($3::text[], 1)] as city,
                case when i % 100 < 90 then 'published' when i % 100 < 97 then 'draft' else 'suspended' end as status,
                now() - make_interval(mins => ($1 - i)) as at
         from generate_series(1, $1) i
       )
       insert into listings (host_id, host_name, status, title, description, city, address,
                             price_per_night, currency, max_guests, amenities, photo_keys,
                             published_at, created_at, updated_at)
       select h.id, h.name, src.status::listing_status, 'Stay ' || src.i || ' in ' || src.city,
              'A bright, secure apartment with steady power and fast Wi-Fi.', src.city,
              src.i || ' Admiralty Way', 1500000 + (src.i * 7919) % 23500000, 'NGN',
              1 + src.i % 8, array['wifi', 'generator', 'air conditioning'],
              array['listings/synth/' || src.i || '/0.jpg', 'listings/synth/' || src.i || '/1.jpg'],
              case when src.status <> 'draft' then src.at end, src.at, src.at
       from src join h on h.n = src.host_n
       order by src.i`,
      [sizes.listings, hosts, CITIES],
    );
    await client.query(
      `insert into listing_photos (listing_id, s3_key, position)
       select l.id, k, p - 1 from listings l, unnest(l.photo_keys) with ordinality as t(k, p)`,
    );
    // Three stays per published listing, ten days apart, by guests spread over all users.
    await client.query(
      `with u as (select id, row_number() over (order by id) as n from users),
       l as (select id, host_id, price_per_night, row_number() over (order by created_at) as n
             from listings where status = 'published')
       insert into bookings (listing_id, guest_id, host_id, check_in, check_out, guests, status,
                             nightly_price, subtotal, total_amount, host_payout, currency, created_at)
       select l.id, u.id, l.host_id, d, d + 3, 1 + (l.n + k) % 3,
              (case when d < current_date then 'completed' else 'confirmed' end)::booking_status,
              l.price_per_night, 3 * l.price_per_night, 3 * l.price_per_night,
              3 * l.price_per_night, 'NGN', d - 14
       from l cross join generate_series(0, 2) k
       cross join lateral (select current_date - 200 + k * 10 + (l.n % 150)::int as d) dd
       join u on u.n = 1 + (l.n * 3 + k) % $1
       order by d`,
      [users],
    );
    await client.query(
      `with u as (select id, row_number() over (order by id) as n from users),
       h as (select id, row_number() over (order by id) as n from hosts)
       insert into conversations (user_id, host_id, created_at, last_message_at)
       select u.id, h.id, now() - interval '60 days', now() - make_interval(mins => i)
       from generate_series(1, $1) i
       join u on u.n = 1 + (i * 13) % $2
       join h on h.n = 1 + (i * 7) % $3
       on conflict do nothing`,
      [sizes.conversations, users, hosts],
    );
    await client.query(
      `with c as (select id, user_id, host_id, row_number() over (order by id) as n, count(*) over () as total
                  from conversations)
       insert into messages (conversation_id, sender_role, sender_id, body, created_at)
       select c.id, case when i % 2 = 0 then 'user' else 'host' end::principal_role,
              case when i % 2 = 0 then c.user_id else c.host_id end,
              'Message ' || i || ': is the flat available that weekend?',
              now() - make_interval(secs => ($1 - i) * 5)
       from generate_series(1, $1) i join c on c.n = 1 + i % c.total`,
      [sizes.messages],
    );
    // Triggers were off for the load: write the holds the bookings trigger would have.
    await client.query(
      `insert into listing_holds (listing_id, kind, booking_id, starts_on, ends_on)
       select listing_id, 'booking', id, check_in, check_out from bookings
       where status in ('pending_payment', 'requested', 'confirmed', 'completed')`,
    );
    // Triggers were off for the load: count what the listing_counts trigger would have.
    await client.query(
      `delete from listing_counts;
       insert into listing_counts (key, published)
       select '', count(*) from listings where status = 'published'
       union all
       select lower(city), count(*) from listings where status = 'published' group by lower(city)`,
    );
    await client.query('commit');
    await client.query('vacuum analyze');
    const counts = await client.query(
      `select (select count(*) from hosts)::int as hosts, (select count(*) from users)::int as users,
              (select count(*) from listings)::int as listings, (select count(*) from bookings)::int as bookings,
              (select count(*) from conversations)::int as conversations, (select count(*) from messages)::int as messages`,
    );
    return counts.rows[0];
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
