/** The sample district's staff directory. Everyone here is invented. */

export const SAMPLE_EMAIL_DOMAIN = 'riverbend.example'

export type SamplePerson = { handle: string; name: string; department: string; role: string }

export const SAMPLE_PEOPLE: readonly SamplePerson[] = [
  { handle: 'marisol.okafor', name: 'Marisol Okafor', department: "Superintendent's Office", role: 'Superintendent' },
  { handle: 'trevor.lindqvist', name: 'Trevor Lindqvist', department: "Superintendent's Office", role: 'Chief of Staff' },
  { handle: 'priya.ramanathan', name: 'Priya Ramanathan', department: 'Strategy and Performance', role: 'Chief Strategy Officer' },
  { handle: 'desmond.achterberg', name: 'Desmond Achterberg', department: 'Strategy and Performance', role: 'Project Management Lead' },
  { handle: 'keiko.vance', name: 'Keiko Vance', department: 'Teaching and Learning', role: 'Chief Academic Officer' },
  { handle: 'rafael.duarte', name: 'Rafael Duarte', department: 'Teaching and Learning', role: 'Director of Literacy' },
  { handle: 'hannah.brightwater', name: 'Hannah Brightwater', department: 'Teaching and Learning', role: 'K-2 Literacy Coordinator' },
  { handle: 'omar.haddad', name: 'Omar Haddad', department: 'Teaching and Learning', role: 'Director of Mathematics' },
  { handle: 'lucia.fernsby', name: 'Lucia Fernsby', department: 'Teaching and Learning', role: 'Secondary Mathematics Coach' },
  { handle: 'grace.mbeki', name: 'Grace Mbeki', department: 'Student Services', role: 'Director of Attendance and Engagement' },
  { handle: 'tomasz.wierzbicki', name: 'Tomasz Wierzbicki', department: 'Student Services', role: 'Lead School Social Worker' },
  { handle: 'adaeze.nwosu', name: 'Adaeze Nwosu', department: 'Human Resources', role: 'Chief Human Resources Officer' },
  { handle: 'colin.ashdown', name: 'Colin Ashdown', department: 'Human Resources', role: 'Recruitment Manager' },
  { handle: 'beatriz.quintero', name: 'Beatriz Quintero', department: 'Human Resources', role: 'New Teacher Induction Coordinator' },
  { handle: 'samuel.oyelaran', name: 'Samuel Oyelaran', department: 'Leadership Development', role: 'Director of Leadership Development' },
  { handle: 'ingrid.solheim', name: 'Ingrid Solheim', department: 'Operations', role: 'Chief Operations Officer' },
  { handle: 'dana.whitfield', name: 'Dana Whitfield', department: 'Transportation', role: 'Director of Transportation' },
  { handle: 'mateo.carrasco', name: 'Mateo Carrasco', department: 'Transportation', role: 'Routing Supervisor' },
  { handle: 'naomi.feldstein', name: 'Naomi Feldstein', department: 'Technology Services', role: 'Chief Technology Officer' },
  { handle: 'jun.takahashi', name: 'Jun Takahashi', department: 'Technology Services', role: 'Help Desk Manager' },
  { handle: 'aaliyah.brooks', name: 'Aaliyah Brooks', department: 'Data and Analytics', role: 'Data Analytics Manager' },
  { handle: 'victor.ionescu', name: 'Victor Ionescu', department: 'Data and Analytics', role: 'Business Intelligence Developer' },
  { handle: 'rosa.delgado-park', name: 'Rosa Delgado-Park', department: 'Assessment and Accountability', role: 'Director of Assessment' },
  { handle: 'felix.amankwah', name: 'Felix Amankwah', department: 'Assessment and Accountability', role: 'District Testing Coordinator' },
  { handle: 'helen.castellanos', name: 'Helen Castellanos', department: 'Nutrition Services', role: 'Director of Nutrition Services' },
  { handle: 'bryce.nakamura', name: 'Bryce Nakamura', department: 'Facilities', role: 'Director of Facilities' },
  { handle: 'yusuf.demir', name: 'Yusuf Demir', department: 'Facilities', role: 'Maintenance Supervisor' },
  { handle: 'charlotte.evers', name: 'Charlotte Evers', department: 'Finance', role: 'Chief Financial Officer' },
  { handle: 'moses.kariuki', name: 'Moses Kariuki', department: 'Finance', role: 'Senior Budget Analyst' },
  { handle: 'elena.sorokina', name: 'Elena Sorokina', department: 'Family and Community Engagement', role: 'Director of Family Engagement' },
  { handle: 'patrick.odonnell', name: "Patrick O'Donnell", department: 'Family and Community Engagement', role: 'Community Partnerships Manager' },
  { handle: 'lena.hoffmann', name: 'Lena Hoffmann', department: 'Communications', role: 'Director of Communications' },
]

export function emailOf(handle: string): string {
  return `${handle}@${SAMPLE_EMAIL_DOMAIN}`
}

/** The person behind a handle; an unknown handle is a bug in the sample's own content. */
export function personOf(handle: string): SamplePerson {
  const person = SAMPLE_PEOPLE.find((p) => p.handle === handle)
  if (!person) throw new Error(`Sample content names unknown person ${handle}`)
  return person
}
