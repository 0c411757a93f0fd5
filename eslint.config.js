import neostandard from 'neostandard'
export default neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', 'src/domain/acs/catalog.generated.ts'] })
