/**
 * Renders every app icon from assets/icon.svg with Chromium (the browser the e2e tests use), so
 * there is one source and no image library to install. The PNGs are committed; run `npm run icons`
 * after changing the SVG. Same Chromium + same SVG → byte-identical files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = `${root}assets/icon.svg`;

/** How an icon shows the SVG: which part of its 512×512 viewBox, and with rounded corners or not. */
interface Framing {
  /** Square crop `[x, y, size]` of the viewBox. */
  readonly crop: readonly [number, number, number];
  /** Corner radius as a fraction of the icon size; 0 keeps the square full-bleed. */
  readonly cornerRadius: number;
}

/** "any" icons: tighter crop so the pad reads at 16 px, rounded corners on transparency. */
const ANY: Framing = { crop: [88, 88, 336], cornerRadius: 0.2 };
/** iOS rounds the corners itself and wants an opaque square. */
const APPLE: Framing = { crop: [64, 64, 384], cornerRadius: 0 };
/** Maskable: the whole square; launchers cut anything outside the central 80% circle. */
const MASKABLE: Framing = { crop: [0, 0, 512], cornerRadius: 0 };

const PNGS: readonly { file: string; size: number; framing: Framing }[] = [
  { file: 'public/icons/icon-192.png', size: 192, framing: ANY },
  { file: 'public/icons/icon-512.png', size: 512, framing: ANY },
  { file: 'public/icons/maskable-512.png', size: 512, framing: MASKABLE },
  { file: 'public/apple-touch-icon.png', size: 180, framing: APPLE },
];
/** Sizes inside favicon.ico (tabs, bookmarks, Windows shortcuts). */
const FAVICON_SIZES = [16, 32, 48];

async function render(page: Page, svg: string, size: number, { crop, cornerRadius }: Framing): Promise<Buffer> {
  const framed = svg.replace(/viewBox="0 0 512 512"/, `viewBox="${crop.join(' ')} ${crop[2]}"`);
  if (framed === svg && crop[2] !== 512) throw new Error('assets/icon.svg must keep viewBox="0 0 512 512"');
  const src = `data:image/svg+xml;base64,${Buffer.from(framed).toString('base64')}`;
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<body style="margin:0"><img src="${src}" width="${size}" height="${size}" ` +
      `style="display:block;border-radius:${cornerRadius * size}px"></body>`,
  );
  await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** An .ico holding PNG images (supported by every browser and by Windows since Vista). */
function packIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

function write(file: string, data: Buffer): void {
  mkdirSync(dirname(`${root}${file}`), { recursive: true });
  writeFileSync(`${root}${file}`, data);
  console.log(`${file}  ${data.length} bytes`);
}

async function main(): Promise<void> {
  const svg = readFileSync(SOURCE, 'utf8');
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const { file, size, framing } of PNGS) write(file, await render(page, svg, size, framing));
    const favicons = [];
    for (const size of FAVICON_SIZES) favicons.push({ size, png: await render(page, svg, size, ANY) });
    write('public/favicon.ico', packIco(favicons));
  } finally {
    await browser.close();
  }
}

await main();
