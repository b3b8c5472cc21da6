/** One sampled pen position in CSS pixels from the pad's top-left corner; t is the event's timeStamp (ms). */
export interface InkPoint {
  readonly x: number;
  readonly y: number;
  readonly t: number;
}

/** The points of one pen-down-to-pen-up movement, in order. */
export type Stroke = readonly InkPoint[];

/** Width and height in CSS pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}
