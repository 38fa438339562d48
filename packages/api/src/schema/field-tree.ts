// The known-fields tree of a kind's spec: which fields exist at each level, and which are deprecated.

export interface FieldTree {
  /** Named fields of an object. */
  readonly f?: Readonly<Record<string, FieldTree>>;
  /** Value shape of a map with free-form keys. */
  readonly m?: FieldTree;
  /** Anything goes below here (free-form structs). */
  readonly open?: true;
  readonly deprecated?: true;
}
