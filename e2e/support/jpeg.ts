import type { Page } from '@playwright/test';

/** A PNG re-encoded as JPEG by the page's own encoder (OffscreenCanvas), as a camera or an editor would save it. */
export async function encodeJpegInPage(page: Page, png: Buffer, quality: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([data, q]) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      bitmap.close();
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: q })).arrayBuffer());
      // In slices: spreading megabytes into one call overflows the stack.
      let binary = '';
      for (let k = 0; k < bytes.length; k += 0x8000) binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
      return btoa(binary);
    },
    [png.toString('base64'), quality] as const,
  );
  return Buffer.from(base64, 'base64');
}
