import { resolvePostgresChangesSqlOptions } from '../lib/postgres/postgres-changes.options.js';
import { installSql, removeSql } from '../lib/postgres/install-sql.js';
const o = resolvePostgresChangesSqlOptions({ tables: ['users', 'tenant_users', 'nopk'], maxRowsPerStatement: 3 });
console.log(process.argv[2] === 'remove' ? removeSql(o) : installSql(o));
