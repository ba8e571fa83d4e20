import { checkOptionFields } from '../core/option-fields.js';
import { tagList } from '../core/tag-set.js';
import type { FromArgs, TagsValue } from './decorator-values.js';
import {
  cacheChoice,
  invalidateAfter,
  isOptionsForm,
  type CacheChoice,
} from './invalidate-after.js';

/** Long form of {@link InvalidateTags}: tags from the arguments and/or from the result. */
export interface InvalidateTagsOptions<A extends unknown[] = any[], R = any> {
  /** Tags, or a function of the method's arguments. */
  tags?: FromArgs<A, TagsValue>;
  /** Tags computed from the result, then the arguments. */
  resultTags?: (result: R, ...args: A) => TagsValue;
  /** The name of the cache, as with the second argument. Default: the default cache. */
  cache?: string;
}

/** Every field {@link InvalidateTagsOptions} has; any other (`resultTag`) is refused. */
const INVALIDATE_TAGS_FIELDS = ['tags', 'resultTags', 'cache'] as const;

/**
 * Invalidates tags after the decorated async method succeeds; when it throws, nothing is
 * invalidated and the error propagates unchanged. Accepts tags, a function of the arguments,
 * or `{ tags, resultTags }`; the optional second argument names the cache (`{ cache: 'sessions' }`).
 */
export function InvalidateTags<A extends unknown[] = any[], R = any>(
  spec: FromArgs<A, TagsValue> | InvalidateTagsOptions<A, R>,
  choice?: CacheChoice,
) {
  const options: InvalidateTagsOptions<A, R> = isOptionsForm(spec)
    ? checkOptionFields<InvalidateTagsOptions<A, R>>(
        spec,
        '@InvalidateTags',
        INVALIDATE_TAGS_FIELDS,
      )
    : { tags: spec as FromArgs<A, TagsValue> };
  return invalidateAfter<A, R, TagsValue>(
    {
      before: options.tags,
      after: options.resultTags,
      cache: cacheChoice(choice, 'InvalidateTags') ?? options.cache,
    },
    {
      decorator: 'InvalidateTags',
      normalize: (tags) => tagList(tags, 'tags'),
      invalidate: (cache, tags) => cache.invalidateTags(tags),
    },
  );
}
