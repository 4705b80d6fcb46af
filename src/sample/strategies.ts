/** The sample district's plan hierarchy: four pillars, their priorities, twelve strategies. Invented text. */

export type SampleStrategy = {
  id: string
  pillar: string
  priorityId: string
  priority: string
  strategy: string
  keyLevers: readonly string[]
  performanceMeasures: readonly string[]
  collaborating: readonly string[]
}

const LEARNING = 'Learning and Achievement'
const WORKFORCE = 'Thriving Workforce'
const OPERATIONS = 'Efficient Operations'
const PARTNERSHIP = 'Family and Community Partnership'

const LA1 = 'Make sure every student reads with confidence and understanding.'
const LA2 = 'Strengthen mathematics learning in the middle grades and Algebra I.'
const TW1 = 'Recruit, support and keep excellent teachers.'
const TW2 = 'Grow the next generation of school leaders from within.'
const EO3 = 'Run the work of the central office as well-managed projects.'
const EO4 = 'Put timely, trusted data in the hands of decision makers.'
const FC1 = 'Get every student to school, on time, every day.'
const FC2 = 'Build lasting partnerships with families and the community.'

export const SAMPLE_STRATEGIES: readonly SampleStrategy[] = [
  {
    id: 'La 1.001',
    pillar: LEARNING,
    priorityId: 'La1',
    priority: LA1,
    strategy: 'Protect a daily foundational-reading block in every K-2 classroom, with explicit phonics and small-group practice.',
    keyLevers: ['Adopt one phonics scope and sequence for all elementary schools', 'Coach teachers on small-group routines during the reading block', 'Screen every K-2 student three times a year and act on the results'],
    performanceMeasures: ['Fall, winter and spring screener results', 'Classroom observations of the reading block'],
    collaborating: ['Teaching and Learning', 'Assessment and Accountability', 'Elementary principals'],
  },
  {
    id: 'La 1.002',
    pillar: LEARNING,
    priorityId: 'La1',
    priority: LA1,
    strategy: 'Use common reading checkpoints in grades 3-8 and regular data meetings to target intervention where it is needed most.',
    keyLevers: ['Common checkpoint every six weeks', 'Data meetings within five school days of each checkpoint', 'Intervention groups reset after every data meeting'],
    performanceMeasures: ['Checkpoint proficiency by grade band', 'Data meeting completion rate'],
    collaborating: ['Teaching and Learning', 'Data and Analytics'],
  },
  {
    id: 'La 2.001',
    pillar: LEARNING,
    priorityId: 'La2',
    priority: LA2,
    strategy: 'Give every Algebra I class a common unit assessment and a planned reteach cycle.',
    keyLevers: ['Common unit assessments written by teacher teams', 'Two reteach days built into each unit', 'Math coaches join planning meetings monthly'],
    performanceMeasures: ['Unit assessment pass rates', 'Reteach cycles completed'],
    collaborating: ['Teaching and Learning', 'Secondary principals'],
  },
  {
    id: 'Tw 1.001',
    pillar: WORKFORCE,
    priorityId: 'Tw1',
    priority: TW1,
    strategy: 'Shorten the time it takes to fill a certified vacancy by starting earlier and removing hand-offs.',
    keyLevers: ['Post expected vacancies before spring break', 'Same-week interviews for qualified applicants', 'Electronic offers and onboarding'],
    performanceMeasures: ['Average days to fill a certified vacancy', 'Offers accepted within five days'],
    collaborating: ['Human Resources', 'Finance', 'All principals'],
  },
  {
    id: 'Tw 1.002',
    pillar: WORKFORCE,
    priorityId: 'Tw1',
    priority: TW1,
    strategy: 'Pair every first- and second-year teacher with a trained mentor who meets with them regularly.',
    keyLevers: ['Train and certify school-based mentors', 'Protect mentor meeting time in the schedule', 'Track mentor meetings in one shared log'],
    performanceMeasures: ['Mentor meeting log', 'Early-career teacher retention'],
    collaborating: ['Human Resources', 'Teaching and Learning'],
  },
  {
    id: 'Tw 2.001',
    pillar: WORKFORCE,
    priorityId: 'Tw2',
    priority: TW2,
    strategy: 'Build a pipeline of school leaders through an aspiring principals academy.',
    keyLevers: ['Selection criteria agreed with principals', 'Residency placements with mentor principals', 'Cohort seminars on instructional leadership'],
    performanceMeasures: ['Academy launch milestones', 'Cohort completion'],
    collaborating: ['Leadership Development', 'Human Resources', "Superintendent's Office"],
  },
  {
    id: 'Eo 3.001',
    pillar: OPERATIONS,
    priorityId: 'Eo3',
    priority: EO3,
    strategy: 'Bring shared project management practice and one plan workbook to every central office department.',
    keyLevers: ['Project management workshop for all department leaders', 'Every department plan kept in the shared workbook', 'Monthly plan reviews with the cabinet'],
    performanceMeasures: ['Leader survey on project management practice', 'Workshop attendance', 'Departments updating the workbook monthly'],
    collaborating: ['All central office departments'],
  },
  {
    id: 'Eo 3.002',
    pillar: OPERATIONS,
    priorityId: 'Eo3',
    priority: EO3,
    strategy: 'Make bus service reliable enough that families can plan around it.',
    keyLevers: ['Re-route the ten latest routes', 'GPS arrival data reviewed weekly', 'Driver recruitment and substitute pool'],
    performanceMeasures: ['On-time arrival rate', 'Uncovered routes per week'],
    collaborating: ['Transportation', 'Operations', 'Communications'],
  },
  {
    id: 'Eo 4.001',
    pillar: OPERATIONS,
    priorityId: 'Eo4',
    priority: EO4,
    strategy: "Give the board and cabinet one dashboard of the district's goals, refreshed from the source systems.",
    keyLevers: ['Agree the measures and their definitions with the cabinet', 'Automate the nightly data loads', 'Test the dashboard with board members before launch'],
    performanceMeasures: ['Dashboard milestones', 'Measures automated'],
    collaborating: ['Data and Analytics', 'Technology Services', 'Strategy and Performance'],
  },
  {
    id: 'Fc 1.001',
    pillar: PARTNERSHIP,
    priorityId: 'Fc1',
    priority: FC1,
    strategy: 'Reach students at risk of chronic absence early, through attendance teams in every school.',
    keyLevers: ['Weekly attendance team meetings', 'Family outreach after the second absence', 'Attendance incentives planned with student councils'],
    performanceMeasures: ['Chronic absenteeism rate', 'Outreach within three days of a second absence'],
    collaborating: ['Student Services', 'All principals', 'Family and Community Engagement'],
  },
  {
    id: 'Fc 2.001',
    pillar: PARTNERSHIP,
    priorityId: 'Fc2',
    priority: FC2,
    strategy: 'Make family conferences easy to attend, in person or online, in the languages our families speak.',
    keyLevers: ['Evening and virtual conference slots', 'Interpreters scheduled in advance', 'Reminders by text in the home language'],
    performanceMeasures: ['Families attending at least one conference'],
    collaborating: ['Family and Community Engagement', 'Communications', 'All principals'],
  },
  {
    id: 'Fc 2.002',
    pillar: PARTNERSHIP,
    priorityId: 'Fc2',
    priority: FC2,
    strategy: 'Grow the network of community partners who bring services into our schools.',
    keyLevers: ['One partnership agreement template', 'A partner directory principals can search', 'A spring partner fair'],
    performanceMeasures: ['Active community partners', 'Schools with at least three partners'],
    collaborating: ['Family and Community Engagement', "Superintendent's Office"],
  },
]
