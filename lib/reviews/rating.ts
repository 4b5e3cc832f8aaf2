/**
 * A listing's rating from the counters kept on its row (`rating_sum`, `review_count`): the
 * mean of its published guest reviews to one decimal, half up (4.25 → 4.3), in integer
 * arithmetic so no float error moves a half; null while it has none.
 */
export function ratingOf(ratingSum: number, reviewCount: number): number | null {
  if (reviewCount <= 0) return null;
  // round(10 * sum / count) half up = floor((20 * sum + count) / (2 * count)).
  return Math.floor((20 * ratingSum + reviewCount) / (2 * reviewCount)) / 10;
}
