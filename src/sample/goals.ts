import type { Direction, MeasureType, StepStatus, WigStatus } from '../domain/model.ts'

/**
 * The sample district's WIGs as content: what each goal says, who owns it, its measures and
 * action steps, and the status it is meant to show. Dates and values are laid out around the
 * as-of date by district.ts, so the intended status holds for any as-of.
 */

/** When the goal runs, relative to the as-of date. */
export type GoalWindow =
  /** The current plan year: under way as of as-of. */
  | { kind: 'current' }
  /** Ended at the end of the month that holds as-of minus `daysAgo`. */
  | { kind: 'ended'; daysAgo: number }
  /** Starts on the first of the month that holds as-of plus `inDays` (always after as-of). */
  | { kind: 'upcoming'; inDays: number }

export type SampleMeasure = {
  type: MeasureType
  name: string
  unit: string
  baseline: number
  target: number
  cadence: 'Weekly' | 'Biweekly' | 'Monthly' | 'Each checkpoint' | 'Twice a year'
  owner: string
  /** Gets its own check-ins (lead measures mostly). */
  tracked: boolean
}

export type SampleStep = {
  title: string
  owner: string
  support: string
  /** Index into the goal's measures: the lead measure this step moves. */
  measure?: number
  /** Fixes the status of a step whose due date is known to fall before as-of (ended goals, milestones). */
  status?: StepStatus
  notes?: string
}

type GoalBase = {
  id: string
  strategyId: string
  department: string
  owner: string
  /** The owner written as a plain name, as people do by hand; the contract matches it to People by Name. */
  ownerAsName?: boolean
  intended: WigStatus
  window: GoalWindow
  override?: { status: WigStatus; note: string }
  measures: readonly SampleMeasure[]
  steps: readonly SampleStep[]
}

export type NumericGoal = GoalBase & {
  kind: 'Numeric'
  /** The 4DX sentence up to "from X to Y by when". */
  goal: string
  unit: string
  direction: Direction
  /** Leave the Direction cell blank: the engine infers it, as it must for hand-made rows. */
  blankDirection?: boolean
  baseline: number
  target: number
  decimals: number
  /** Own check-ins: every `everyDays`, the latest `ageDays` before as-of (or before the end date). Absent: none yet. */
  checkIns?: { everyDays: number; ageDays: number }
}

export type MilestoneGoal = GoalBase & {
  kind: 'Milestone'
  /** The sentence up to "by when". */
  goal: string
  /** Added to the target date of a current goal beyond June 30: "by July", "by August". */
  monthsPastPlanYear: number
  /** How many of the first steps fall due before as-of. */
  stepsDue: number
}

export type SampleGoal = NumericGoal | MilestoneGoal

const L = 'Lead'
const G = 'Lag'

export const SAMPLE_GOALS: readonly SampleGoal[] = [
  {
    id: 'WIG-01',
    kind: 'Numeric',
    strategyId: 'La 1.001',
    department: '',
    owner: 'rafael.duarte',
    goal: 'Increase the share of K-2 students reading at or above benchmark on the district screener',
    unit: '%',
    direction: 'Increase',
    baseline: 48,
    target: 62,
    decimals: 1,
    intended: 'On track',
    window: { kind: 'current' },
    checkIns: { everyDays: 14, ageDays: 3 },
    measures: [
      { type: G, name: 'K-2 students at or above benchmark on the spring screener', unit: '%', baseline: 48, target: 62, cadence: 'Twice a year', owner: 'rafael.duarte', tracked: false },
      { type: L, name: 'K-2 classrooms observed running the full reading block', unit: '%', baseline: 35, target: 90, cadence: 'Biweekly', owner: 'hannah.brightwater', tracked: true },
      { type: L, name: 'Students below benchmark in a small group at least four days a week', unit: '%', baseline: 40, target: 95, cadence: 'Biweekly', owner: 'hannah.brightwater', tracked: true },
    ],
    steps: [
      { title: 'Publish the K-2 phonics scope and sequence to all elementary schools', owner: 'rafael.duarte', support: 'Teaching and Learning' },
      { title: 'Train literacy coaches on the small-group observation tool', owner: 'hannah.brightwater', support: 'Rafael Duarte', measure: 1 },
      { title: 'Build the reading block into every elementary master schedule', owner: 'keiko.vance', support: 'Elementary principals', measure: 1 },
      { title: 'Run the fall screener and share results with each school', owner: 'rosa.delgado-park', support: 'Felix Amankwah' },
      { title: 'Form small groups for every student below benchmark', owner: 'hannah.brightwater', support: 'Literacy coaches', measure: 2 },
      { title: 'Coach-the-coach visits in the five schools with the lowest results', owner: 'rafael.duarte', support: 'Hannah Brightwater', measure: 1 },
      { title: 'Run the winter screener and adjust the groups', owner: 'rosa.delgado-park', support: 'Literacy coaches', measure: 2 },
      { title: 'Family reading night toolkit sent home in three languages', owner: 'elena.sorokina', support: 'Communications' },
    ],
  },
  {
    id: 'WIG-02',
    kind: 'Numeric',
    strategyId: 'La 1.002',
    department: '',
    owner: 'keiko.vance',
    goal: 'Increase the share of grade 3-8 students proficient on the common reading checkpoint',
    unit: '%',
    direction: 'Increase',
    baseline: 41,
    target: 55,
    decimals: 1,
    intended: 'At risk',
    window: { kind: 'current' },
    checkIns: { everyDays: 14, ageDays: 5 },
    measures: [
      { type: G, name: 'Grade 3-8 students proficient on the final reading checkpoint', unit: '%', baseline: 41, target: 55, cadence: 'Each checkpoint', owner: 'keiko.vance', tracked: false },
      { type: L, name: 'Schools holding a data meeting within five days of each checkpoint', unit: '%', baseline: 50, target: 100, cadence: 'Biweekly', owner: 'aaliyah.brooks', tracked: true },
    ],
    steps: [
      { title: 'Agree the checkpoint calendar with middle and elementary principals', owner: 'keiko.vance', support: 'Principals' },
      { title: 'Load checkpoint results into the data platform within two days', owner: 'aaliyah.brooks', support: 'Victor Ionescu', measure: 1 },
      { title: 'Train data teams on the data meeting protocol', owner: 'rafael.duarte', support: 'Aaliyah Brooks', measure: 1 },
      { title: 'Publish the intervention menu for grades 3-8', owner: 'rafael.duarte', support: 'Teaching and Learning' },
      { title: 'Audit intervention group rosters after the second checkpoint', owner: 'victor.ionescu', support: 'Aaliyah Brooks' },
      { title: 'Principal walkthroughs focused on intervention time', owner: 'keiko.vance', support: 'Principal supervisors' },
      { title: 'Mid-year review of the checkpoint items with teacher teams', owner: 'rosa.delgado-park', support: 'Teaching and Learning' },
      { title: 'Summer reading plan for students still below proficiency', owner: 'rafael.duarte', support: 'Family and Community Engagement' },
    ],
  },
  {
    id: 'WIG-03',
    kind: 'Numeric',
    strategyId: 'La 2.001',
    department: '',
    owner: 'omar.haddad',
    goal: 'Increase the share of Algebra I students passing the common unit assessments',
    unit: '%',
    direction: 'Increase',
    baseline: 55,
    target: 72,
    decimals: 1,
    intended: 'Off track',
    window: { kind: 'current' },
    checkIns: { everyDays: 14, ageDays: 41 },
    measures: [
      { type: G, name: 'Algebra I students passing the final unit assessment', unit: '%', baseline: 55, target: 72, cadence: 'Each checkpoint', owner: 'omar.haddad', tracked: false },
      { type: L, name: 'Algebra I teachers completing a planned reteach cycle each unit', unit: '%', baseline: 30, target: 90, cadence: 'Biweekly', owner: 'lucia.fernsby', tracked: true },
    ],
    steps: [
      { title: 'Teacher teams write the common unit assessments for units 1-4', owner: 'omar.haddad', support: 'Lucia Fernsby' },
      { title: 'Build two reteach days into the Algebra I pacing guide', owner: 'lucia.fernsby', support: 'Teaching and Learning', measure: 1 },
      { title: 'Math coaches join unit planning meetings in every high school', owner: 'lucia.fernsby', support: 'Secondary principals', measure: 1 },
      { title: 'Score the unit 2 assessment together to calibrate grading', owner: 'omar.haddad', support: 'Algebra I teachers' },
      { title: 'Tutoring blocks for students who fail two unit assessments', owner: 'omar.haddad', support: 'Student Services' },
      { title: 'Teacher teams write the common unit assessments for units 5-8', owner: 'lucia.fernsby', support: 'Algebra I teachers' },
      { title: 'Share reteach lessons that worked in a common folder', owner: 'lucia.fernsby', support: 'Omar Haddad', measure: 1 },
      { title: 'Review pass rates with secondary principals', owner: 'keiko.vance', support: 'Omar Haddad' },
    ],
  },
  {
    id: 'WIG-04',
    kind: 'Numeric',
    strategyId: 'Tw 1.001',
    department: '',
    owner: 'adaeze.nwosu',
    goal: 'Reduce the average number of days to fill a certified vacancy',
    unit: 'days',
    direction: 'Decrease',
    baseline: 52,
    target: 30,
    decimals: 1,
    intended: 'On track',
    window: { kind: 'current' },
    checkIns: { everyDays: 7, ageDays: 2 },
    measures: [
      { type: G, name: 'Average days from posting to accepted offer, certified positions', unit: 'days', baseline: 52, target: 30, cadence: 'Monthly', owner: 'adaeze.nwosu', tracked: false },
      { type: L, name: 'Qualified applicants interviewed within seven days', unit: '%', baseline: 45, target: 90, cadence: 'Weekly', owner: 'colin.ashdown', tracked: true },
    ],
    steps: [
      { title: 'Collect expected vacancies from principals before the spring break', owner: 'colin.ashdown', support: 'Principals' },
      { title: 'Post expected vacancies in the applicant system', owner: 'colin.ashdown', support: 'Human Resources' },
      { title: 'Set up weekly interview days with partner universities', owner: 'colin.ashdown', support: 'Beatriz Quintero', measure: 1 },
      { title: 'Move offer letters to electronic signature', owner: 'adaeze.nwosu', support: 'Technology Services' },
      { title: 'Train principals on the new screening rubric', owner: 'colin.ashdown', support: 'Leadership Development', measure: 1 },
      { title: 'Publish a weekly vacancy report to the cabinet', owner: 'moses.kariuki', support: 'Human Resources' },
      { title: 'Review the time-to-fill of each vacancy over 60 days', owner: 'adaeze.nwosu', support: 'Colin Ashdown' },
      { title: 'Plan the summer hiring fair', owner: 'colin.ashdown', support: 'Communications' },
    ],
  },
  {
    id: 'WIG-05',
    kind: 'Numeric',
    strategyId: 'Tw 1.002',
    department: '',
    owner: 'beatriz.quintero',
    goal: 'Increase the share of first- and second-year teachers meeting a trained mentor at least twice a month',
    unit: '%',
    direction: 'Increase',
    baseline: 40,
    target: 85,
    decimals: 1,
    intended: 'Achieved',
    window: { kind: 'current' },
    checkIns: { everyDays: 14, ageDays: 6 },
    measures: [
      { type: G, name: 'Early-career teachers with two or more mentor meetings in the month', unit: '%', baseline: 40, target: 85, cadence: 'Monthly', owner: 'beatriz.quintero', tracked: false },
      { type: L, name: 'Certified mentors assigned', unit: 'mentors', baseline: 60, target: 140, cadence: 'Monthly', owner: 'beatriz.quintero', tracked: true },
    ],
    steps: [
      { title: 'Recruit mentors from each school', owner: 'beatriz.quintero', support: 'Principals', measure: 1 },
      { title: 'Run the two-day mentor certification course', owner: 'beatriz.quintero', support: 'Teaching and Learning', measure: 1 },
      { title: 'Match every new teacher with a mentor in their building', owner: 'beatriz.quintero', support: 'Principals' },
      { title: 'Add mentor time to the school schedules', owner: 'keiko.vance', support: 'Principals' },
      { title: 'Launch the shared mentor meeting log', owner: 'victor.ionescu', support: 'Beatriz Quintero' },
      { title: 'Pay the mentor stipends for the first semester', owner: 'charlotte.evers', support: 'Payroll' },
      { title: 'Survey new teachers on mentor support', owner: 'beatriz.quintero', support: 'Data and Analytics' },
      { title: 'Recognise mentors at the spring board meeting', owner: 'adaeze.nwosu', support: 'Communications' },
    ],
  },
  {
    id: 'WIG-06',
    kind: 'Milestone',
    strategyId: 'Tw 2.001',
    department: '',
    owner: 'samuel.oyelaran',
    goal: 'Open the Aspiring Principals Academy with its first cohort placed in residencies',
    monthsPastPlanYear: 1,
    stepsDue: 5,
    intended: 'On track',
    window: { kind: 'current' },
    measures: [
      { type: L, name: 'Academy launch tasks completed on schedule', unit: 'tasks', baseline: 0, target: 10, cadence: 'Monthly', owner: 'samuel.oyelaran', tracked: false },
    ],
    steps: [
      { title: 'Agree the selection criteria with the principal advisory group', owner: 'samuel.oyelaran', support: 'Principals' },
      { title: 'Approve the academy budget', owner: 'charlotte.evers', support: 'Samuel Oyelaran' },
      { title: 'Recruit eight mentor principals', owner: 'samuel.oyelaran', support: 'Trevor Lindqvist' },
      { title: 'Write the seminar syllabus', owner: 'samuel.oyelaran', support: 'Teaching and Learning' },
      { title: 'Open applications to assistant principals and teacher leaders', owner: 'adaeze.nwosu', support: 'Communications' },
      { title: 'Interview applicants and select the cohort', owner: 'samuel.oyelaran', support: 'Marisol Okafor' },
      { title: 'Place each fellow in a residency school', owner: 'samuel.oyelaran', support: 'Principal supervisors' },
      { title: 'Hold the first cohort seminar', owner: 'samuel.oyelaran', support: 'Mentor principals' },
      { title: 'Report the launch to the board', owner: 'trevor.lindqvist', support: 'Samuel Oyelaran' },
      { title: 'Plan the second cohort intake', owner: 'samuel.oyelaran', support: 'Human Resources' },
    ],
  },
  {
    id: 'WIG-07',
    kind: 'Numeric',
    strategyId: 'Eo 3.001',
    department: '',
    owner: 'priya.ramanathan',
    goal: 'Increase the share of central office leaders who rate their project management practice as effective',
    unit: '%',
    direction: 'Increase',
    baseline: 22,
    target: 70,
    decimals: 0,
    intended: 'No data',
    window: { kind: 'current' },
    measures: [
      { type: G, name: 'Leaders rating their project management practice effective (spring survey)', unit: '%', baseline: 22, target: 70, cadence: 'Twice a year', owner: 'priya.ramanathan', tracked: false },
      { type: L, name: 'Department leaders who attended the project management workshop', unit: 'leaders', baseline: 0, target: 60, cadence: 'Biweekly', owner: 'desmond.achterberg', tracked: true },
      { type: L, name: 'Departments updating their plan in the workbook each month', unit: 'departments', baseline: 2, target: 18, cadence: 'Monthly', owner: 'desmond.achterberg', tracked: true },
    ],
    steps: [
      { title: 'Set up the plan workbook with every department plan', owner: 'desmond.achterberg', support: 'Technology Services', measure: 2 },
      { title: 'Design the project management workshop', owner: 'desmond.achterberg', support: 'Priya Ramanathan', measure: 1 },
      { title: 'Run workshop sessions for department leaders', owner: 'desmond.achterberg', support: 'Leadership Development', measure: 1 },
      { title: 'Start monthly plan reviews with the cabinet', owner: 'priya.ramanathan', support: 'Trevor Lindqvist', measure: 2 },
      { title: 'Publish a standard project charter template', owner: 'desmond.achterberg', support: 'Strategy and Performance' },
      { title: 'Write the leader survey on project management practice', owner: 'aaliyah.brooks', support: 'Desmond Achterberg' },
      { title: 'Field the leader survey', owner: 'aaliyah.brooks', support: 'Communications' },
      { title: 'Share survey results and next steps with the cabinet', owner: 'priya.ramanathan', support: 'Aaliyah Brooks' },
    ],
  },
  {
    id: 'WIG-08',
    kind: 'Numeric',
    strategyId: 'Eo 3.002',
    department: '',
    owner: 'dana.whitfield',
    ownerAsName: true,
    goal: 'Increase the share of bus routes arriving at school on time',
    unit: '%',
    direction: 'Increase',
    blankDirection: true,
    baseline: 86,
    target: 95,
    decimals: 1,
    intended: 'On track',
    window: { kind: 'current' },
    checkIns: { everyDays: 7, ageDays: 1 },
    measures: [
      { type: G, name: 'Route arrivals on time (GPS, ten minutes before the bell)', unit: '%', baseline: 86, target: 95, cadence: 'Weekly', owner: 'dana.whitfield', tracked: false },
      { type: L, name: 'Routes without a regular driver', unit: 'routes', baseline: 14, target: 2, cadence: 'Weekly', owner: 'mateo.carrasco', tracked: true },
    ],
    steps: [
      { title: 'Re-route the ten latest routes', owner: 'mateo.carrasco', support: 'Dana Whitfield' },
      { title: 'Turn on GPS arrival reports for every bus', owner: 'naomi.feldstein', support: 'Transportation' },
      { title: 'Hold a driver hiring event every month', owner: 'dana.whitfield', support: 'Human Resources', measure: 1 },
      { title: 'Train a pool of substitute drivers', owner: 'dana.whitfield', support: 'Mateo Carrasco', measure: 1 },
      { title: 'Weekly review of late arrivals with the routing team', owner: 'mateo.carrasco', support: 'Transportation' },
      { title: 'Stagger bell times at the three tightest campuses', owner: 'ingrid.solheim', support: 'Principals' },
      { title: 'Send families bus delay alerts by text', owner: 'lena.hoffmann', support: 'Transportation' },
      { title: 'Winter weather routing plan', owner: 'mateo.carrasco', support: 'Facilities' },
    ],
  },
  {
    id: 'WIG-09',
    kind: 'Milestone',
    strategyId: 'Eo 4.001',
    department: '',
    owner: 'aaliyah.brooks',
    goal: 'Launch a goals dashboard for the board and cabinet, refreshed nightly from the source systems',
    monthsPastPlanYear: 1,
    stepsDue: 6,
    intended: 'At risk',
    window: { kind: 'current' },
    measures: [
      { type: L, name: 'Dashboard measures loading automatically each night', unit: 'measures', baseline: 0, target: 24, cadence: 'Monthly', owner: 'victor.ionescu', tracked: true },
    ],
    steps: [
      { title: 'Agree the list of goal measures and their definitions with the cabinet', owner: 'aaliyah.brooks', support: 'Priya Ramanathan' },
      { title: 'Map each measure to its source system', owner: 'victor.ionescu', support: 'Technology Services' },
      { title: 'Procure the additional reporting licences', owner: 'naomi.feldstein', support: 'Finance', status: 'Cancelled', notes: 'Existing licences turned out to be enough.' },
      { title: 'Build the nightly load for student information data', owner: 'victor.ionescu', support: 'Technology Services', measure: 0 },
      { title: 'Build the nightly load for finance and HR data', owner: 'victor.ionescu', support: 'Finance', measure: 0, status: 'Blocked', notes: 'Waiting on read access to the HR system from the vendor.' },
      { title: 'Draft the dashboard pages', owner: 'aaliyah.brooks', support: 'Victor Ionescu' },
      { title: 'Test the dashboard with three board members', owner: 'aaliyah.brooks', support: 'Trevor Lindqvist' },
      { title: 'Fix issues found in testing', owner: 'victor.ionescu', support: 'Aaliyah Brooks' },
      { title: 'Train cabinet members to read the dashboard', owner: 'aaliyah.brooks', support: 'Strategy and Performance' },
      { title: 'Publish the dashboard on the board portal', owner: 'lena.hoffmann', support: 'Data and Analytics' },
      { title: 'Write the support guide for the dashboard', owner: 'victor.ionescu', support: 'Technology Services' },
      { title: 'Hand the nightly loads over to operations support', owner: 'naomi.feldstein', support: 'Data and Analytics' },
    ],
  },
  {
    id: 'WIG-10',
    kind: 'Numeric',
    strategyId: 'Fc 1.001',
    department: '',
    owner: 'grace.mbeki',
    goal: 'Reduce the chronic absenteeism rate',
    unit: '%',
    direction: 'Decrease',
    baseline: 24,
    target: 16,
    decimals: 1,
    intended: 'Off track',
    window: { kind: 'current' },
    checkIns: { everyDays: 7, ageDays: 4 },
    override: {
      status: 'At risk',
      note: 'The first weeks of data from the new student information system double-counted some excused absences; the attendance team estimates the true rate is about two points lower. Review again after the next data correction.',
    },
    measures: [
      { type: G, name: 'Students missing 10% or more of enrolled days', unit: '%', baseline: 24, target: 16, cadence: 'Weekly', owner: 'grace.mbeki', tracked: false },
      { type: L, name: 'Families contacted within three school days of a second absence', unit: '%', baseline: 35, target: 90, cadence: 'Weekly', owner: 'tomasz.wierzbicki', tracked: true },
      { type: L, name: 'Schools holding a weekly attendance team meeting', unit: '%', baseline: 40, target: 100, cadence: 'Biweekly', owner: 'grace.mbeki', tracked: true },
    ],
    steps: [
      { title: 'Name an attendance team lead in every school', owner: 'grace.mbeki', support: 'Principals', measure: 2 },
      { title: 'Build the second-absence outreach list in the student information system', owner: 'victor.ionescu', support: 'Student Services', measure: 1 },
      { title: 'Train attendance teams on the outreach script', owner: 'tomasz.wierzbicki', support: 'Grace Mbeki', measure: 1 },
      { title: 'Send the attendance matters letter to every family', owner: 'elena.sorokina', support: 'Communications' },
      { title: 'Home visits for students absent ten or more days', owner: 'tomasz.wierzbicki', support: 'School social workers' },
      { title: 'Plan attendance incentives with student councils', owner: 'grace.mbeki', support: 'Principals' },
      { title: 'Review the ten schools with the highest rates with their principals', owner: 'keiko.vance', support: 'Grace Mbeki' },
      { title: 'Correct the excused-absence codes after the system conversion', owner: 'victor.ionescu', support: 'Student Services' },
    ],
  },
  {
    id: 'WIG-11',
    kind: 'Numeric',
    strategyId: 'Fc 2.001',
    department: '',
    owner: 'elena.sorokina',
    goal: 'Increase the share of families attending at least one conference',
    unit: '%',
    direction: 'Increase',
    baseline: 58,
    target: 80,
    decimals: 1,
    intended: 'Missed',
    window: { kind: 'ended', daysAgo: 45 },
    checkIns: { everyDays: 14, ageDays: 4 },
    measures: [
      { type: G, name: 'Families attending at least one conference this term', unit: '%', baseline: 58, target: 80, cadence: 'Biweekly', owner: 'elena.sorokina', tracked: false },
      { type: L, name: 'Conference reminders sent in the home language', unit: '%', baseline: 30, target: 95, cadence: 'Biweekly', owner: 'lena.hoffmann', tracked: true },
    ],
    steps: [
      { title: 'Offer evening and virtual conference slots in every school', owner: 'elena.sorokina', support: 'Principals' },
      { title: 'Schedule interpreters for every conference day', owner: 'elena.sorokina', support: 'Family and Community Engagement' },
      { title: 'Set up text reminders in the home language', owner: 'lena.hoffmann', support: 'Technology Services', measure: 1 },
      { title: 'Online sign-up form for conference times', owner: 'naomi.feldstein', support: 'Elena Sorokina', status: 'Cancelled', notes: 'Schools kept their own sign-up sheets this term.' },
      { title: 'Train front-office staff to book conferences by phone', owner: 'elena.sorokina', support: 'Principals' },
      { title: 'Childcare at evening conferences in the ten largest schools', owner: 'patrick.odonnell', support: 'Community partners' },
      { title: 'Collect attendance counts from every school', owner: 'aaliyah.brooks', support: 'Principals' },
      { title: 'Follow-up calls to families who did not attend', owner: 'elena.sorokina', support: 'School social workers', status: 'In progress', notes: 'Half of the schools have finished their calls.' },
    ],
  },
  {
    id: 'WIG-12',
    kind: 'Numeric',
    strategyId: 'Fc 2.002',
    department: '',
    owner: 'patrick.odonnell',
    goal: 'Increase the number of active community partners providing services in our schools',
    unit: 'partners',
    direction: 'Increase',
    baseline: 35,
    target: 60,
    decimals: 0,
    intended: 'Not started',
    window: { kind: 'upcoming', inDays: 40 },
    measures: [
      { type: G, name: 'Partners with a signed agreement and at least one service this year', unit: 'partners', baseline: 35, target: 60, cadence: 'Monthly', owner: 'patrick.odonnell', tracked: false },
      { type: L, name: 'Schools with at least three active partners', unit: 'schools', baseline: 11, target: 30, cadence: 'Monthly', owner: 'patrick.odonnell', tracked: false },
    ],
    steps: [
      { title: 'Write one partnership agreement template with legal counsel', owner: 'patrick.odonnell', support: "Superintendent's Office" },
      { title: 'Build the partner directory for principals', owner: 'victor.ionescu', support: "Patrick O'Donnell" },
      { title: 'Invite current partners to renew under the new template', owner: 'patrick.odonnell', support: 'Family and Community Engagement' },
      { title: 'Ask each principal for the three services they need most', owner: 'patrick.odonnell', support: 'Principals' },
      { title: 'Hold the spring partner fair', owner: 'patrick.odonnell', support: 'Communications' },
      { title: 'Match new partners to schools', owner: 'patrick.odonnell', support: 'Elena Sorokina' },
      { title: 'Background checks for partner volunteers', owner: 'adaeze.nwosu', support: 'Human Resources' },
      { title: 'Thank-you event for partners', owner: 'marisol.okafor', support: 'Communications' },
    ],
  },
  {
    id: 'WIG-13',
    kind: 'Milestone',
    strategyId: '',
    department: 'Assessment and Accountability',
    owner: 'rosa.delgado-park',
    goal: 'Certify every school test coordinator on the updated secure-testing procedures',
    monthsPastPlanYear: 0,
    stepsDue: 10,
    intended: 'Achieved',
    window: { kind: 'ended', daysAgo: 60 },
    measures: [
      { type: L, name: 'School test coordinators certified', unit: '%', baseline: 0, target: 100, cadence: 'Weekly', owner: 'felix.amankwah', tracked: true },
    ],
    steps: [
      { title: 'Update the secure-testing handbook for this year', owner: 'rosa.delgado-park', support: 'Felix Amankwah' },
      { title: 'Confirm a test coordinator for every school', owner: 'felix.amankwah', support: 'Principals' },
      { title: 'Record the online certification module', owner: 'felix.amankwah', support: 'Technology Services', measure: 0 },
      { title: 'Open the certification module to coordinators', owner: 'felix.amankwah', support: 'Technology Services', measure: 0 },
      { title: 'Hold two in-person practice sessions', owner: 'felix.amankwah', support: 'Rosa Delgado-Park' },
      { title: 'Follow up with coordinators who have not finished', owner: 'felix.amankwah', support: 'Principals', measure: 0 },
      { title: 'Check the secure storage in every school', owner: 'felix.amankwah', support: 'Facilities' },
      { title: 'Certify the backup coordinators', owner: 'felix.amankwah', support: 'Principals', measure: 0 },
      { title: 'Report certification to the state office', owner: 'rosa.delgado-park', support: 'Felix Amankwah' },
      { title: 'Debrief with coordinators and note fixes for next year', owner: 'rosa.delgado-park', support: 'Felix Amankwah' },
    ],
  },
  {
    id: 'WIG-14',
    kind: 'Numeric',
    strategyId: 'Fc 1.001',
    department: 'Nutrition Services',
    owner: 'helen.castellanos',
    goal: 'Increase average daily breakfast participation',
    unit: '%',
    direction: 'Increase',
    baseline: 38,
    target: 50,
    decimals: 1,
    intended: 'On track',
    window: { kind: 'current' },
    checkIns: { everyDays: 28, ageDays: 37 },
    measures: [
      { type: G, name: 'Enrolled students eating school breakfast, monthly average', unit: '%', baseline: 38, target: 50, cadence: 'Monthly', owner: 'helen.castellanos', tracked: false },
      { type: L, name: 'Schools serving breakfast after the bell', unit: 'schools', baseline: 6, target: 20, cadence: 'Monthly', owner: 'helen.castellanos', tracked: true },
    ],
    steps: [
      { title: 'Pick the first schools for breakfast after the bell', owner: 'helen.castellanos', support: 'Principals', measure: 1 },
      { title: 'Buy grab-and-go carts', owner: 'moses.kariuki', support: 'Nutrition Services', measure: 1 },
      { title: 'Train cafeteria staff on the new service model', owner: 'helen.castellanos', support: 'Cafeteria managers' },
      { title: 'Student taste tests for new breakfast items', owner: 'helen.castellanos', support: 'Student councils' },
      { title: 'Tell families about free breakfast for every student', owner: 'lena.hoffmann', support: 'Nutrition Services' },
      { title: 'Expand breakfast after the bell to the second group of schools', owner: 'helen.castellanos', support: 'Principals', measure: 1 },
      { title: 'Check waste and adjust menus', owner: 'helen.castellanos', support: 'Cafeteria managers' },
      { title: 'Report participation to the board', owner: 'helen.castellanos', support: 'Finance' },
    ],
  },
  {
    id: 'WIG-15',
    kind: 'Numeric',
    strategyId: 'Eo 3.001',
    department: 'Technology Services',
    owner: 'jun.takahashi',
    goal: 'Reduce the average time to close a help-desk ticket (in days)',
    unit: 'days',
    direction: 'Decrease',
    baseline: 5.2,
    target: 2.5,
    decimals: 2,
    intended: 'At risk',
    window: { kind: 'current' },
    checkIns: { everyDays: 7, ageDays: 3 },
    measures: [
      { type: G, name: 'Average days from ticket opened to closed', unit: 'days', baseline: 5.2, target: 2.5, cadence: 'Weekly', owner: 'jun.takahashi', tracked: false },
      { type: L, name: 'Tickets answered the same day', unit: '%', baseline: 40, target: 80, cadence: 'Weekly', owner: 'jun.takahashi', tracked: true },
    ],
    steps: [
      { title: 'Sort the ticket backlog by school and urgency', owner: 'jun.takahashi', support: 'Help desk team' },
      { title: 'Publish self-service guides for the ten most common requests', owner: 'jun.takahashi', support: 'Communications' },
      { title: 'Add a chat channel for teachers', owner: 'naomi.feldstein', support: 'Jun Takahashi', measure: 1 },
      { title: 'Assign a technician to each cluster of schools', owner: 'jun.takahashi', support: 'Technology Services', measure: 1 },
      { title: 'Weekly review of tickets open more than five days', owner: 'jun.takahashi', support: 'Naomi Feldstein' },
      { title: 'Replace the oldest staff laptops', owner: 'naomi.feldstein', support: 'Finance' },
      { title: 'Survey staff on help-desk service', owner: 'jun.takahashi', support: 'Data and Analytics' },
      { title: 'Summer device refresh plan', owner: 'naomi.feldstein', support: 'Jun Takahashi' },
    ],
  },
  {
    id: 'WIG-16',
    kind: 'Milestone',
    strategyId: 'Tw 1.001',
    department: 'Human Resources',
    owner: 'adaeze.nwosu',
    goal: 'Move every certified staff contract to electronic signature',
    monthsPastPlanYear: 0,
    stepsDue: 10,
    intended: 'Missed',
    window: { kind: 'ended', daysAgo: 35 },
    measures: [
      { type: L, name: 'Certified contracts signed electronically', unit: '%', baseline: 0, target: 100, cadence: 'Weekly', owner: 'colin.ashdown', tracked: true },
    ],
    steps: [
      { title: 'Choose the electronic signature product', owner: 'adaeze.nwosu', support: 'Technology Services' },
      { title: 'Legal review of the electronic contract', owner: 'trevor.lindqvist', support: 'Human Resources' },
      { title: 'Connect the signature product to the HR system', owner: 'naomi.feldstein', support: 'Colin Ashdown' },
      { title: 'Pilot with one school', owner: 'colin.ashdown', support: 'Principals', measure: 0 },
      { title: 'Train HR staff on sending contracts', owner: 'colin.ashdown', support: 'Human Resources' },
      { title: 'Print-and-sign fallback for staff without accounts', owner: 'colin.ashdown', support: 'Principals', status: 'Cancelled', notes: 'Every certified employee has an account; not needed.' },
      { title: 'Send contracts to all certified staff', owner: 'colin.ashdown', support: 'Human Resources', measure: 0 },
      { title: 'Chase unsigned contracts', owner: 'colin.ashdown', support: 'Principals', measure: 0, status: 'In progress', notes: 'About forty contracts are still unsigned.' },
      { title: 'Archive signed contracts in personnel files', owner: 'colin.ashdown', support: 'Records office' },
      { title: 'Retire the paper contract process', owner: 'adaeze.nwosu', support: 'Human Resources' },
    ],
  },
  {
    id: 'WIG-17',
    kind: 'Numeric',
    strategyId: '',
    department: 'Facilities',
    owner: 'bryce.nakamura',
    goal: 'Reduce the number of work orders open longer than 30 days',
    unit: 'work orders',
    direction: 'Decrease',
    baseline: 420,
    target: 150,
    decimals: 0,
    intended: 'Off track',
    window: { kind: 'current' },
    checkIns: { everyDays: 7, ageDays: 5 },
    measures: [
      { type: G, name: 'Work orders open more than 30 days', unit: 'work orders', baseline: 420, target: 150, cadence: 'Weekly', owner: 'bryce.nakamura', tracked: false },
      { type: L, name: 'Work orders closed per week', unit: 'work orders', baseline: 120, target: 180, cadence: 'Weekly', owner: 'yusuf.demir', tracked: true },
    ],
    steps: [
      { title: 'Clean up duplicate and obsolete work orders', owner: 'yusuf.demir', support: 'Facilities' },
      { title: 'Set priority rules for safety, instruction and comfort', owner: 'bryce.nakamura', support: 'Principals' },
      { title: 'Contract extra HVAC technicians for the backlog', owner: 'bryce.nakamura', support: 'Finance', measure: 1 },
      { title: 'Weekly backlog review with each trade', owner: 'yusuf.demir', support: 'Bryce Nakamura', measure: 1 },
      { title: 'Mobile work-order app for technicians', owner: 'naomi.feldstein', support: 'Facilities' },
      { title: 'Stock common parts in each regional shop', owner: 'yusuf.demir', support: 'Purchasing' },
      { title: 'Tell principals the status of their open work orders each month', owner: 'bryce.nakamura', support: 'Communications' },
      { title: 'Summer maintenance plan for the largest campuses', owner: 'bryce.nakamura', support: 'Ingrid Solheim' },
    ],
  },
  {
    id: 'WIG-18',
    kind: 'Milestone',
    strategyId: '',
    department: 'Finance',
    owner: 'charlotte.evers',
    goal: "Complete a position-control audit of every department's staffing budget",
    monthsPastPlanYear: 0,
    stepsDue: 0,
    intended: 'Not started',
    window: { kind: 'upcoming', inDays: 45 },
    measures: [
      { type: L, name: 'Departments with a reconciled position list', unit: 'departments', baseline: 0, target: 22, cadence: 'Monthly', owner: 'moses.kariuki', tracked: false },
    ],
    steps: [
      { title: 'Export the position list from the HR system', owner: 'moses.kariuki', support: 'Human Resources' },
      { title: 'Export budgeted positions from the finance system', owner: 'moses.kariuki', support: 'Finance' },
      { title: 'Match positions to budget lines', owner: 'moses.kariuki', support: 'Charlotte Evers' },
      { title: 'Review mismatches with each department head', owner: 'charlotte.evers', support: 'Department heads' },
      { title: 'Correct position codes in the HR system', owner: 'adaeze.nwosu', support: 'Moses Kariuki' },
      { title: 'Correct budget lines for next year', owner: 'moses.kariuki', support: 'Finance' },
      { title: 'Write the audit summary', owner: 'charlotte.evers', support: 'Moses Kariuki' },
      { title: 'Present the audit to the board finance committee', owner: 'charlotte.evers', support: "Superintendent's Office" },
      { title: 'Set a quarterly position-control check', owner: 'moses.kariuki', support: 'Human Resources' },
      { title: 'Train department budget contacts on position control', owner: 'moses.kariuki', support: 'Finance' },
    ],
  },
]
