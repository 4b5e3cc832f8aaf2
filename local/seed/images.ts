/**
 * Demo listing photos made in code, so that the seeded feed shows pictures without anything
 * downloaded: a sky gradient, a sun and a house, coloured and placed from a hash of the photo's
 * key. The same key always gives the same bytes, so a missing photo can be made again later.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

export const SEED_IMAGE_WIDTH = 480;
export const SEED_IMAGE_HEIGHT = 320;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Rgb = [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/**
 * An 8-bit RGB PNG of `rgb` (row-major, 3 bytes a pixel). Each row takes the filter whose
 * output has the smallest sum of absolute values, the heuristic libpng uses.
 */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const stride = width * 3;
  if (rgb.length !== stride * height) throw new Error('encodePng: rgb is not width × height × 3');
  const filtered = Buffer.alloc((stride + 1) * height);
  const candidate = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    let best = Number.POSITIVE_INFINITY;
    for (let filter = 0; filter <= 4; filter++) {
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const x = rgb[row + i] as number;
        const a = i >= 3 ? (rgb[row + i - 3] as number) : 0;
        const b = y > 0 ? (rgb[row - stride + i] as number) : 0;
        const c = i >= 3 && y > 0 ? (rgb[row - stride + i - 3] as number) : 0;
        const predicted =
          filter === 0
            ? 0
            : filter === 1
              ? a
              : filter === 2
                ? b
                : filter === 3
                  ? (a + b) >> 1
                  : paeth(a, b, c);
        const value = (x - predicted) & 0xff;
        candidate[i] = value;
        cost += value < 128 ? value : 256 - value;
      }
      if (cost < best) {
        best = cost;
        filtered[y * (stride + 1)] = filter;
        candidate.copy(filtered, y * (stride + 1) + 1);
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filtered, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

const mix = (from: Rgb, to: Rgb, t: number): Rgb => [
  Math.round(from[0] + (to[0] - from[0]) * t),
  Math.round(from[1] + (to[1] - from[1]) * t),
  Math.round(from[2] + (to[2] - from[2]) * t),
];

/** The demo photo for an S3 key, as PNG bytes (a few KB). */
export function seedImage(key: string): Buffer {
  const hash = createHash('sha256').update(key).digest();
  const byte = (i: number) => hash[i] as number;
  const width = SEED_IMAGE_WIDTH;
  const height = SEED_IMAGE_HEIGHT;
  const hue = (byte(0) * 360) / 256;
  const skyTop = hsl(hue, 0.55, 0.45);
  const skyBottom = hsl((hue + 40 + byte(1) / 4) % 360, 0.65, 0.78);
  const ground = hsl((hue + 120) % 360, 0.35, 0.35);
  const wall = hsl((hue + 180 + byte(2) / 8) % 360, 0.4, 0.62);
  const roof = hsl((hue + 200) % 360, 0.45, 0.3);
  const window: Rgb = [250, 236, 170];
  const sun: Rgb = [255, 244, 214];

  const horizon = Math.round(height * (0.62 + byte(3) / 2560));
  const sunX = Math.round(width * (0.1 + (0.8 * byte(4)) / 255));
  const sunY = Math.round(horizon * (0.2 + (0.4 * byte(5)) / 255));
  const sunR = 18 + (byte(6) % 20);
  const houseW = 130 + (byte(7) % 80);
  const houseLeft = Math.round((width - houseW) * (byte(8) / 255));
  const houseTop = horizon - 70 - (byte(9) % 40);
  const roofTop = houseTop - 40 - (byte(10) % 30);
  const windows = 2 + (byte(11) % 3);

  // The sky's diagonal gradient by 4y + x, the ground's by row: lookups, not a mix per pixel.
  const skySteps = 4 * horizon + width;
  const sky = Array.from({ length: skySteps }, (_, i) => mix(skyTop, skyBottom, i / skySteps));
  const soil = Array.from({ length: height - horizon }, (_, i) =>
    mix(ground, [20, 20, 20], i / (height - horizon) / 2),
  );
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let colour: Rgb;
      if (y >= horizon) {
        colour = soil[y - horizon] as Rgb;
      } else {
        colour = sky[4 * y + x] as Rgb;
        if ((x - sunX) ** 2 + (y - sunY) ** 2 <= sunR ** 2) colour = sun;
      }
      const inHouse = x >= houseLeft && x < houseLeft + houseW && y >= houseTop && y < horizon;
      const roofHalf = ((y - roofTop) / (houseTop - roofTop)) * (houseW / 2 + 12);
      const inRoof =
        y >= roofTop && y < houseTop && Math.abs(x - (houseLeft + houseW / 2)) <= roofHalf;
      if (inRoof) colour = roof;
      if (inHouse) {
        colour = wall;
        const cell = houseW / windows;
        const inCell = (x - houseLeft) % cell;
        const doorLeft = houseLeft + houseW / 2 - 12;
        if (x >= doorLeft && x < doorLeft + 24 && y >= horizon - 44) colour = roof;
        else if (
          inCell > cell * 0.3 &&
          inCell < cell * 0.7 &&
          y > houseTop + 14 &&
          y < houseTop + 38
        )
          colour = window;
      }
      const at = (y * width + x) * 3;
      rgb[at] = colour[0];
      rgb[at + 1] = colour[1];
      rgb[at + 2] = colour[2];
    }
  }
  return encodePng(width, height, rgb);
}
