/**
 * The direct reader reproduces what exceljs reads from the workbooks real programs write; where
 * a part holds something it does not reproduce exactly (XML that exceljs would reject, a layout
 * exceljs reads in its own odd way), it throws this and the caller lets exceljs read the file,
 * so every answer, including a "damaged" one, stays exactly what it was.
 */
export class Unmodeled extends Error {
  constructor(readonly why: string) {
    super(why)
    this.name = 'Unmodeled'
  }
}

export function unmodeled(why: string): never {
  throw new Unmodeled(why)
}
