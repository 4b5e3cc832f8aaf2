import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { noSuchKey, S3Error } from '#local/emulators/s3/errors';
import type { S3Credentials } from '#local/emulators/s3/sigv4';

/** Objects are held in memory: a ceiling well above any photo or document the app accepts. */
export const MAX_OBJECT_BYTES = 100 * 1024 * 1024;

export const VALID_BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface StoredObject {
  data: Buffer;
  etag: string;
  lastModified: Date;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksum?: { algorithm: string; value: string };
}

export interface Bucket {
  created: Date;
  objects: Map<string, StoredObject>;
}

/** What the request handlers share: the buckets, the one key pair, and where the server is. */
export interface S3Context {
  store: Store;
  credentials: S3Credentials;
  /** Buckets served without a signature under `/_cdn/<bucket>/`. */
  publicBuckets: Set<string>;
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
}

/**
 * The buckets and their objects, in memory and, given a directory, on disk. Writes and
 * deletes of one object land in the order they were asked for.
 */
export class Store {
  readonly buckets: Map<string, Bucket>;
  readonly #disk: DiskStore | undefined;
  /** The write or delete in progress per object, so that two on one key land in order. */
  readonly #writes = new Map<string, Promise<unknown>>();

  private constructor(buckets: Map<string, Bucket>, disk: DiskStore | undefined) {
    this.buckets = buckets;
    this.#disk = disk;
  }

  /** The buckets kept in `dataDir` (memory only without one), and `initial` ones if missing. */
  static async open(dataDir: string | undefined, initial: string[]): Promise<Store> {
    const disk = dataDir === undefined ? undefined : new DiskStore(dataDir);
    const store = new Store((await disk?.load()) ?? new Map<string, Bucket>(), disk);
    for (const name of initial) {
      if (!VALID_BUCKET.test(name)) throw new Error(`local S3: invalid bucket name ${name}`);
      if (!store.buckets.has(name)) await store.createBucket(name);
    }
    return store;
  }

  bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) {
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: name,
      });
    }
    return bucket;
  }

  object(bucketName: string, key: string): StoredObject {
    const object = this.bucket(bucketName).objects.get(key);
    if (!object) throw noSuchKey(key);
    return object;
  }

  async createBucket(name: string): Promise<void> {
    const created = new Date();
    await this.#disk?.createBucket(name, created);
    this.buckets.set(name, { created, objects: new Map() });
  }

  async deleteBucket(name: string): Promise<void> {
    await this.#disk?.deleteBucket(name);
    this.buckets.delete(name);
  }

  put(
    bucket: Bucket,
    bucketName: string,
    key: string,
    object: StoredObject,
  ): Promise<StoredObject> {
    return this.#serially(bucketName, key, async () => {
      await this.#disk?.put(bucketName, key, object, bucket.objects.get(key));
      bucket.objects.set(key, object);
      return object;
    });
  }

  remove(bucket: Bucket, bucketName: string, key: string): Promise<void> {
    return this.#serially(bucketName, key, async () => {
      const object = bucket.objects.get(key);
      if (!object) return;
      await this.#disk?.delete(bucketName, key, object);
      bucket.objects.delete(key);
    });
  }

  /** Resolves once the writes under way have landed. */
  async settled(): Promise<void> {
    await Promise.all(this.#writes.values());
  }

  #serially<T>(bucketName: string, key: string, task: () => Promise<T>): Promise<T> {
    const writes = this.#writes;
    const id = `${bucketName}/${key}`;
    const result = (writes.get(id) ?? Promise.resolve()).then(task);
    const settled = result.then(
      () => {},
      () => {},
    );
    writes.set(id, settled);
    void settled.then(() => {
      if (writes.get(id) === settled) writes.delete(id);
    });
    return result;
  }
}

/** An object as its `.json` file records it on disk. */
interface ObjectRecord {
  key: string;
  etag: string;
  size: number;
  lastModified: string;
  contentType: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksum?: { algorithm: string; value: string };
}

/**
 * Buckets and objects kept under `dataDir`, so that uploads outlive the process:
 *
 *   <dataDir>/<bucket>/bucket.json                          {"created": ISO date}
 *   <dataDir>/<bucket>/objects/<sha256(key)>.json           the key and its metadata
 *   <dataDir>/<bucket>/objects/<sha256(key)>.<md5>.body     the bytes
 *
 * File names hash the key because S3 keys are not paths: `a` and `a/b` coexist, and a key may
 * hold `..` or 1024 bytes. Each file is written to a temporary name, flushed and renamed. The
 * `.json` is the commit record: a new body is in place before the record that names it, and the
 * old body is removed only after, so a crash at any point leaves the old or the new object whole.
 * A body named by no record (a crash between the two renames) is removed at the next start.
 */
class DiskStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  private objectsDir(bucket: string) {
    return join(this.dir, bucket, 'objects');
  }

  private base(bucket: string, key: string) {
    return join(this.objectsDir(bucket), createHash('sha256').update(key).digest('hex'));
  }

  private bodyFile(bucket: string, key: string, etag: string) {
    return `${this.base(bucket, key)}.${etag.replaceAll('"', '')}.body`;
  }

  private async writeAtomically(file: string, data: Buffer | string): Promise<void> {
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, data, { flush: true });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async load(): Promise<Map<string, Bucket>> {
    await mkdir(this.dir, { recursive: true });
    const buckets = new Map<string, Bucket>();
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !VALID_BUCKET.test(entry.name)) continue;
      const info = await readFile(join(this.dir, entry.name, 'bucket.json'), 'utf8').then(
        (text) => JSON.parse(text) as { created?: string },
        () => ({}) as { created?: string },
      );
      const created = new Date(info.created ?? Number.NaN);
      buckets.set(entry.name, {
        created: Number.isNaN(created.getTime()) ? new Date() : created,
        objects: await this.loadObjects(entry.name),
      });
    }
    return buckets;
  }

  private async loadObjects(bucket: string): Promise<Map<string, StoredObject>> {
    const dir = this.objectsDir(bucket);
    const files = await readdir(dir).catch(() => [] as string[]);
    const objects = new Map<string, StoredObject>();
    const bodies = new Set<string>();
    for (const name of files) {
      if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
      if (!name.endsWith('.json')) continue;
      const record = await readFile(join(dir, name), 'utf8').then(
        (text) => JSON.parse(text) as ObjectRecord,
        () => undefined,
      );
      const body = record && this.bodyFile(bucket, record.key, record.etag);
      const data = body && (await readFile(body).catch(() => undefined));
      if (!record || !body || !data || data.length !== record.size) {
        console.warn(`local S3: skipping ${join(dir, name)}, unreadable or without its body`);
        continue;
      }
      bodies.add(body);
      objects.set(record.key, {
        data,
        etag: record.etag,
        lastModified: new Date(record.lastModified),
        contentType: record.contentType,
        headers: record.headers,
        metadata: record.metadata,
        ...(record.checksum ? { checksum: record.checksum } : {}),
      });
    }
    for (const name of files) {
      if (name.endsWith('.body') && !bodies.has(join(dir, name))) {
        await rm(join(dir, name), { force: true });
      }
    }
    return objects;
  }

  async createBucket(bucket: string, created: Date): Promise<void> {
    await mkdir(this.objectsDir(bucket), { recursive: true });
    await this.writeAtomically(
      join(this.dir, bucket, 'bucket.json'),
      JSON.stringify({ created: created.toISOString() }),
    );
  }

  async deleteBucket(bucket: string): Promise<void> {
    await rm(join(this.dir, bucket), { recursive: true, force: true });
  }

  async put(bucket: string, key: string, object: StoredObject, previous?: StoredObject) {
    const record: ObjectRecord = {
      key,
      etag: object.etag,
      size: object.data.length,
      lastModified: object.lastModified.toISOString(),
      contentType: object.contentType,
      headers: object.headers,
      metadata: object.metadata,
      ...(object.checksum ? { checksum: object.checksum } : {}),
    };
    await mkdir(this.objectsDir(bucket), { recursive: true });
    await this.writeAtomically(this.bodyFile(bucket, key, object.etag), object.data);
    await this.writeAtomically(`${this.base(bucket, key)}.json`, JSON.stringify(record, null, 2));
    if (previous && previous.etag !== object.etag) {
      await rm(this.bodyFile(bucket, key, previous.etag), { force: true });
    }
  }

  async delete(bucket: string, key: string, object: StoredObject): Promise<void> {
    await rm(`${this.base(bucket, key)}.json`, { force: true });
    await rm(this.bodyFile(bucket, key, object.etag), { force: true });
  }
}
