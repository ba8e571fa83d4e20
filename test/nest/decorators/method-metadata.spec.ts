import 'reflect-metadata';
import {
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  SetMetadata,
  UseGuards,
  type CanActivate,
} from '@nestjs/common';
import { Cached, InvalidateKeys, InvalidateTags } from '../../../lib/index.js';

// Nest's own metadata keys (stable constants of @nestjs/common).
const PATH = 'path';
const METHOD = 'method';
const HTTP_CODE = '__httpCode__';
const HEADERS = '__headers__';
const GUARDS = '__guards__';

class AllowAll implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller('things')
class ThingsController {
  /** Nest decorators applied first (listed below @Cached). */
  @Cached({ key: 'inner' })
  @Get('inner')
  @HttpCode(203)
  @Header('X-Kind', 'inner')
  @SetMetadata('roles', ['reader'])
  @UseGuards(AllowAll)
  async inner(a: string, b: number): Promise<string> {
    return `${a}${b}`;
  }

  /** Nest decorators applied last (listed above @Cached). */
  @Get('outer')
  @HttpCode(203)
  @Header('X-Kind', 'outer')
  @SetMetadata('roles', ['reader'])
  @UseGuards(AllowAll)
  @Cached({ key: 'outer' })
  async outer(a: string, b: number): Promise<string> {
    return `${a}${b}`;
  }

  /** Stacked HydraCache decorators between Nest ones. */
  @Post('stacked')
  @InvalidateTags(['things'])
  @SetMetadata('roles', ['writer'])
  @InvalidateKeys('inner')
  @HttpCode(204)
  async stacked(): Promise<void> {}
}

describe('metadata on decorated methods', () => {
  it.each(['inner', 'outer'] as const)(
    'keeps route, status, header, guard and custom metadata (%s)',
    (name) => {
      const handler = ThingsController.prototype[name];
      expect(Reflect.getMetadata(PATH, handler)).toBe(name);
      expect(Reflect.getMetadata(METHOD, handler)).toBe(0); // RequestMethod.GET
      expect(Reflect.getMetadata(HTTP_CODE, handler)).toBe(203);
      expect(Reflect.getMetadata(HEADERS, handler)).toEqual([{ name: 'X-Kind', value: name }]);
      expect(Reflect.getMetadata('roles', handler)).toEqual(['reader']);
      expect(Reflect.getMetadata(GUARDS, handler)).toEqual([AllowAll]);
    },
  );

  it('keeps metadata through several HydraCache decorators', () => {
    const handler = ThingsController.prototype.stacked;
    expect(Reflect.getMetadata(PATH, handler)).toBe('stacked');
    expect(Reflect.getMetadata(METHOD, handler)).toBe(1); // RequestMethod.POST
    expect(Reflect.getMetadata(HTTP_CODE, handler)).toBe(204);
    expect(Reflect.getMetadata('roles', handler)).toEqual(['writer']);
  });

  it('keeps the design-time parameter types Nest pipes rely on', () => {
    expect(Reflect.getMetadata('design:paramtypes', ThingsController.prototype, 'inner')).toEqual([
      String,
      Number,
    ]);
    expect(Reflect.getMetadata('design:paramtypes', ThingsController.prototype, 'outer')).toEqual([
      String,
      Number,
    ]);
  });

  it('keeps the method’s name and length', () => {
    expect(ThingsController.prototype.inner.name).toBe('inner');
    expect(ThingsController.prototype.inner.length).toBe(2);
    expect(ThingsController.prototype.outer.name).toBe('outer');
    expect(ThingsController.prototype.outer.length).toBe(2);
    expect(ThingsController.prototype.stacked.name).toBe('stacked');
  });
});
