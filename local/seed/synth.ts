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
                             price_per_night, currency, max_guests, min_nights, max_nights,
                             amenities, photo_keys, published_at, created_at, updated_at)
       select h.id, h.name, src.status::listing_status, 'Stay ' || src.i || ' in ' || src.city,
              'A bright, secure apartment with steady power and fast Wi-Fi.', src.city,
              src.i || ' Admiralty Way', 1500000 + (src.i * 7919) % 23500000, 'NGN',
              1 + src.i % 8,
              case when src.i % 20 < 14 then 1 when src.i % 20 < 17 then 2 when src.i % 20 < 19 then 3 else 7 end,
              case when src.i % 20 = 3 then 14 when src.i % 20 = 19 then 90 else 30 end,
              array['wifi', 'generator', 'air conditioning'],
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
    // Each published listing, numbered in publication order, with a phase that spreads its
    // stays over the calendar and whether it is booked over the busy weekend a month out.
    await client.query(
      `create temp table synth_listings on commit drop as
       select id, host_id, price_per_night, cleaning_fee, max_guests, min_nights, instant_book,
              cancellation_policy, n::int as n, (n * 7)::int % 40 as ph,
              (hashint4((n * 8 + 4)::int)::bigint & 2147483647) / 1000 % 1000 < 420 as busy
       from (select l.*, row_number() over (order by created_at, id) as n
             from listings l where status = 'published') l`,
    );
    // About 5.8 bookings per published listing, on a calendar that keeps every listing's
    // holding stays apart (days from today, ph = 0..39, at most 7 nights each):
    //   0..2  three past stays, at -200, -135 and -70 + ph
    //   3     one around today, at -15 + ph % 20
    //   4     the busy weekend (+28..+30) for 42% of listings, else +40 + ph
    //   5     for half of them, an earlier request for about slot 4's nights that never held:
    //         declined, expired or cancelled
    //   6     for 30%, a stay far out, at +160 + 3 ph
    // Blocks (below) sit in the gaps. Of the rest, past stays are mostly completed and future
    // ones mostly confirmed; some are cancelled, declined or expired, a few wait for payment
    // or for the host. Guests are spread over all users.
    await client.query(
      `with u as (select id, row_number() over (order by id) as n from users),
       s as (
         select l.*, k, h % 1000 as r, (h / 1000) % 1000 as e,
                current_date + case k
                  when 0 then -200 + ph when 1 then -135 + ph when 2 then -70 + ph
                  when 3 then -15 + ph % 20
                  when 4 then case when busy then 30 - n % 3 else 40 + ph end
                  when 5 then case when busy then 30 - n % 3 else 40 + ph end - 2
                  else 160 + 3 * ph
                end as check_in,
                greatest(min_nights, case when k = 4 and busy then 3 + h % 4 else 2 + h % 6 end)::int
                  as nights
         from synth_listings l cross join generate_series(0, 6) k
         cross join lateral (select hashint4((l.n * 8 + k)::int)::bigint & 2147483647 as h) hh
       ),
       st as (
         select s.*, (case
                  when k = 5 then case when r < 400 then 'declined' when r < 700 then 'expired' else 'cancelled' end
                  when check_in + nights <= current_date then
                    case when r < 880 then 'completed' when r < 960 then 'cancelled'
                         when r < 985 then 'declined' else 'expired' end
                  when check_in <= current_date then case when r < 930 then 'confirmed' else 'cancelled' end
                  else case when r < 850 then 'confirmed' when r < 930 then 'cancelled'
                            when r < 950 then 'declined' when r < 965 then 'expired'
                            when r < 985 then 'requested' else 'pending_payment' end
                end)::booking_status as status
         from s
         where k < 5 or (k = 5 and e < 500) or (k = 6 and e < 300)
       ),
       b as (
         select st.*, nights * price_per_night as subtotal,
                ((nights * price_per_night)::bigint * 1000 + 5000) / 10000 as service_fee,
                ((nights * price_per_night)::bigint * 300 + 5000) / 10000 as host_fee,
                case status
                  when 'pending_payment' then now() - make_interval(mins => (r % 14)::int)
                  when 'requested' then now() - make_interval(hours => (r % 20)::int)
                  else least((check_in - (3 + (r * 7) % 60)::int)::timestamptz
                               + make_interval(mins => (r * 13 % 1440)::int),
                             now() - make_interval(hours => (1 + r % 48)::int))
                end as created_at
         from st
       )
       insert into bookings (listing_id, guest_id, host_id, check_in, check_out, guests, status,
                             nightly_price, subtotal, cleaning_fee, service_fee, total_amount,
                             host_fee, host_payout, currency, cancellation_policy, instant_book,
                             expires_at, confirmed_at, status_reason, created_at, updated_at)
       select b.id, u.id, b.host_id, b.check_in, b.check_in + b.nights,
              least(b.max_guests, 1 + (b.r / 10) % 3), b.status, b.price_per_night, b.subtotal,
              b.cleaning_fee, b.service_fee, b.subtotal + b.cleaning_fee + b.service_fee,
              b.host_fee, b.subtotal + b.cleaning_fee - b.host_fee, 'NGN', b.cancellation_policy,
              b.instant_book,
              case b.status when 'pending_payment' then b.created_at + interval '15 minutes'
                            when 'requested' then b.created_at + interval '1 day' end,
              case when b.status in ('confirmed', 'completed') or (b.status = 'cancelled' and b.k <> 5)
                   then b.created_at + interval '10 minutes' end,
              case b.status when 'declined' then 'Those dates no longer work for us.'
                            when 'cancelled' then 'Plans changed.' end,
              b.created_at, b.created_at + interval '10 minutes'
       from b join u on u.n = 1 + (b.n * 7 + b.k) % $1
       order by b.created_at`,
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
    // Triggers were off for the load: write the holds the bookings trigger would have, and
    // host blocks on one listing in four (in a gap of its calendar: past, in the weeks
    // before the busy weekend, or after slot 4), in the order they were made, as the
    // exclusion constraint's index would have received them.
    await client.query(
      `insert into listing_holds (listing_id, kind, booking_id, starts_on, ends_on, note, created_at)
       select listing_id, kind::hold_kind, booking_id, starts_on, ends_on, note, created_at
       from (
         select listing_id, 'booking' as kind, id as booking_id, check_in as starts_on,
                check_out as ends_on, null as note, created_at
         from bookings
         where status in ('pending_payment', 'requested', 'confirmed', 'completed')
         union all
         select id, 'block', null, current_date + d, current_date + d + len, 'Family staying',
                least(current_date + d - 20, current_date - n % 30)::timestamptz
         from synth_listings
         cross join lateral (
           select case (n / 4) % 3 when 0 then -120 + ph when 1 then 14 + n % 8 else 95 + ph end as d,
                  case (n / 4) % 3 when 1 then 2 + n % 5 else 2 + (n * 13) % 13 end as len
         ) g
         where n % 4 = 0
       ) holds
       order by created_at`,
    );
    // And the copy of them on each listing that the holds trigger would have kept. An update
    // moves every row it touches to the end of the heap, so the table is then rewritten in
    // the order the listings were made, as listings created one by one would have left it.
    await client.query(
      `update listings l set held = h.held
       from (select listing_id, range_agg(daterange(starts_on, ends_on, '[)')) as held
             from listing_holds where ends_on > current_date group by listing_id) h
       where h.listing_id = l.id`,
    );
    await client.query(
      `create temporary table feed_order as
         select * from listings order by created_at, id;
       delete from listings;
       insert into listings select * from feed_order;
       drop table feed_order`,
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
