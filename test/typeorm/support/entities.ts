import 'reflect-metadata';
import {
  Column,
  Entity,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';

/** A team: the "one" side of the join the tests read. */
@Entity('team')
export class Team {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { length: 100 })
  name!: string;

  @OneToMany(() => Member, (member) => member.team)
  members!: Relation<Member[]>;
}

/** A member of a team. */
@Entity('member')
export class Member {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { length: 100 })
  name!: string;

  @ManyToOne(() => Team, (team) => team.members, { nullable: true })
  team!: Relation<Team> | null;
}

/** A table no cached query reads, to show writes to it invalidate nothing else. */
@Entity('audit')
export class Audit {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { length: 100 })
  note!: string;
}

export const ENTITIES = [Team, Member, Audit];
