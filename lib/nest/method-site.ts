/** A class, compared by identity only. */
export type ClassRef = abstract new (...args: never[]) => unknown;

/** Where a decorated method lives, for messages and default keys. */
export interface MethodSite {
  /** `ClassName.method`, as shown in error messages. */
  readonly label: string;
  readonly className: string;
  readonly methodName: string;
  /** The method's property key on the prototype. */
  readonly propertyKey: string | symbol;
  /** The class default keys are named after (the instance's own class for inherited methods). */
  readonly owner: ClassRef;
}

/** The site of the method `propertyKey` declared on the prototype `target`. */
export function siteAt(target: object, propertyKey: string | symbol): MethodSite {
  const owner = (target as { constructor: ClassRef }).constructor;
  const className = owner.name;
  const methodName = methodNameOf(propertyKey);
  return { label: `${className}.${methodName}`, className, methodName, propertyKey, owner };
}

/**
 * The site as seen from `instance`: a subclass that inherits a decorated method gets its own class
 * name, so that subclasses of one base class (a generic CRUD service) do not share default keys.
 * An anonymous subclass keeps the base class's name but is still its own owner.
 */
export function siteOf(instance: unknown, site: MethodSite): MethodSite {
  const owner = (instance as { constructor?: ClassRef }).constructor;
  if (typeof owner !== 'function' || owner === site.owner) return site;
  const className = owner.name === '' ? site.className : owner.name;
  return { ...site, label: `${className}.${site.methodName}`, className, owner };
}

/** Names given so far to unregistered symbols, so each keeps one name for the process's life. */
const symbolNames = new Map<symbol, string>();

/**
 * A method's name for keys and messages. Two different symbols can share a description, and
 * `String(symbol)` would then give their methods the same default keys, so an unregistered symbol
 * gets a number after its description (`Symbol(find)#2`), in decoration order. The map grows only
 * with decorated symbol-named methods, which the program's source bounds.
 */
function methodNameOf(propertyKey: string | symbol): string {
  if (typeof propertyKey === 'string') return propertyKey;
  const registered = Symbol.keyFor(propertyKey);
  if (registered !== undefined) return `Symbol.for(${registered})`;
  let name = symbolNames.get(propertyKey);
  if (name === undefined) {
    name = `${String(propertyKey)}#${symbolNames.size + 1}`;
    symbolNames.set(propertyKey, name);
  }
  return name;
}
