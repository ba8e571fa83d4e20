import { tableTag } from '../core/table-tags.js';

/** The part of Prisma's runtime data model read here: each model's table and relation fields. */
export interface RuntimeDataModel {
  readonly models: Record<
    string,
    {
      readonly dbName: string | null;
      readonly schema?: string | null;
      readonly fields: readonly { name: string; kind: string; type: string }[];
    }
  >;
}

/** At most this many nested objects of a query's arguments are walked for relations; beyond, every table counts. */
const MAX_WALK = 10_000;

/**
 * The table tags of a Prisma model and of the models its query arguments reach through relations
 * (`include`, `select`, relation filters in `where`, nested writes in `data`): a read is tagged
 * with every table it reads, a write invalidates every table it may write. `@@map` and `@@schema`
 * give the table name, as Postgres knows it.
 */
export class ModelTables {
  readonly #tags = new Map<string, string>();
  readonly #relations = new Map<string, Map<string, string>>();

  constructor(dataModel: RuntimeDataModel) {
    for (const [model, { dbName, schema, fields }] of Object.entries(dataModel.models)) {
      const table = dbName ?? model;
      this.#tags.set(model, tableTag(schema ? `${schema}.${table}` : table));
      const relations = new Map<string, string>();
      for (const field of fields)
        if (field.kind === 'object') relations.set(field.name, field.type);
      this.#relations.set(model, relations);
    }
  }

  /** `tableTag` of `model`'s table and of every model `args` reaches through a relation field. */
  tagsOf(model: string, args: unknown): string[] {
    const tags = new Set<string>();
    const own = this.#tags.get(model);
    if (own !== undefined) tags.add(own);
    const stack: [string, unknown][] = [[model, args]];
    let walked = 0;
    while (stack.length > 0) {
      const [current, value] = stack.pop()!;
      if (value === null || typeof value !== 'object') continue;
      if (++walked > MAX_WALK) return [...this.#tags.values()];
      const relations = this.#relations.get(current);
      for (const [key, nested] of Object.entries(value)) {
        const related = relations?.get(key);
        if (related !== undefined) {
          const tag = this.#tags.get(related);
          if (tag !== undefined) tags.add(tag);
          stack.push([related, nested]);
        } else {
          stack.push([current, nested]);
        }
      }
    }
    return [...tags];
  }
}
