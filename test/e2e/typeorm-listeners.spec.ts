import 'reflect-metadata';
import { createHash } from 'node:crypto';
import {
  AfterUpdate,
  BeforeUpdate,
  Column,
  DataSource,
  Entity,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Repository,
} from 'typeorm';
import { Cached, HydraCache, attachHydraCache } from '../../lib/index.js';

const hash = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

@Entity()
class Team {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('text')
  name!: string;

  @OneToMany(() => Member, (member) => member.team)
  members!: Member[];
}

@Entity()
class Member {
  static updated: number[] = [];

  @PrimaryGeneratedColumn()
  id!: number;

  @Column('text')
  email!: string;

  @Column('text')
  password!: string;

  @ManyToOne(() => Team, (team) => team.members)
  team!: Team;

  @BeforeUpdate()
  hashPassword(): void {
    if (!this.password.startsWith('sha256:')) this.password = hash(this.password);
  }

  @AfterUpdate()
  recordUpdate(): void {
    Member.updated.push(this.id);
  }
}

class MembersService {
  reads = 0;

  constructor(private readonly members: Repository<Member>) {}

  @Cached({ key: (id: number) => `member:${id}` })
  async findOne(id: number): Promise<Member | null> {
    this.reads++;
    return this.members.findOne({ where: { id }, relations: { team: true } });
  }
}

describe('e2e: TypeORM entities read through @Cached and saved', () => {
  let dataSource: DataSource;
  let members: Repository<Member>;
  let service: MembersService;

  beforeEach(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Team, Member],
      synchronize: true,
    });
    await dataSource.initialize();
    members = dataSource.getRepository(Member);
    const team = await dataSource.getRepository(Team).save({ name: 'core' });
    await members.save(members.create({ email: 'ada@example.com', password: 'initial', team }));
    service = attachHydraCache(new MembersService(members), HydraCache.local().build());
    Member.updated = [];
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it.each([
    ['the loading call', 0],
    ['a cached hit', 1],
  ])(
    'an entity from %s is an entity: saving it fires @BeforeUpdate and @AfterUpdate',
    async (_label, warm) => {
      for (let i = 0; i < warm; i++) await service.findOne(1);
      const member = (await service.findOne(1))!;
      expect(member).toBeInstanceOf(Member);
      expect(member.team).toBeInstanceOf(Team);
      expect(service.reads).toBe(1);

      member.password = 'new secret';
      await members.save(member);

      const stored = await members.findOneByOrFail({ id: 1 });
      expect(stored.password).toBe(hash('new secret'));
      expect(Member.updated).toEqual([1]);
    },
  );
});
