// The shop's few products: ids and names the product, price and inventory services agree on.

export const CATALOG: Readonly<Record<string, string>> = {
  '1': 'Linen shirt',
  '2': 'Canvas sneakers',
  '3': 'Wool scarf',
  '4': 'Leather belt',
  '5': 'Cotton socks',
};

export const PRODUCT_IDS = Object.keys(CATALOG);

/** `?ids=1,2` → the known ids among them; all of them when none is given. */
export function requestedIds(query: URLSearchParams): string[] {
  const ids = (query.get('ids') ?? '').split(',').filter((id) => id in CATALOG);
  return ids.length > 0 ? ids : PRODUCT_IDS;
}

/** The product an order names (`{"productId": "2"}`), the first one when it names none we sell. */
export function productIdOf(body: unknown): string {
  const id = (body as { productId?: unknown } | undefined)?.productId;
  const text = typeof id === 'string' || typeof id === 'number' ? String(id) : '';
  return text in CATALOG ? text : '1';
}
