"""The commented starting scenario that ``crisis new`` writes. It validates, lints clean and
passes its own balance check as it stands, and shows the format 2 features an author reaches for
first: a starting value drawn afresh each game, a move the other side does not see (with the
rumour it hears instead) and an estimate that an outcome sharpens."""

TEMPLATE = """\
# yaml-language-server: $schema={schema}
#
# A new crisis scenario. Every section is explained in docs/scenario-format.md.
# Check it with:   crisis validate THIS_FILE
# Play it with:    crisis play THIS_FILE
format: 2                     # 2: secrets, drawn starts, timing (docs: "Secrets, knowledge and time")

meta:
  id: {id}
  title: "A crisis of my own"
  summary: >
    One paragraph that tells players what is at stake. It is shown in the scenario list.
  authors: ["Your name"]
  sources:
    - title: "Where your facts come from"
      url: "https://example.org"
  history: >
    What really happened, shown next to the player's game after the ending.

calendar:
  start: "2024-01-01 08:00"   # quote dates
  hours_per_turn: 4
  turn_limit: 6

roles:
  government:
    name: "The government"
    brief: "What this side knows and wants at the start."
    objective: "order - 0.5 * unrest"     # higher is better; the AI plays towards it
  opposition:
    name: "The opposition"
    brief: "What the other side knows and wants."
    objective: "support"

map:
  places:
    capital: {name: "The capital", lat: 55.75, lon: 37.62, kind: capital}
    square: {name: "The main square", lat: 55.76, lon: 37.60, kind: site}
  routes:
    avenue: {name: "The avenue", stops: [capital, square], km: [2]}

variables:
  order:
    type: number
    initial: 60
    min: 0
    max: 100
    label: "Public order"
  unrest:
    type: number
    initial: 20
    min: 0
    max: 100
    label: "Unrest"
  support:
    type: number
    initial: {range: [30, 50], step: 5}   # drawn at the start of every game: 30, 35, ... 50
    min: 0
    max: 100
    label: "Opposition support"
    visible_to: [opposition]      # the government only sees an estimate ...
    estimated_by: [government]
    estimate_step: 20             # ... a band 20 wide

turn_order: [opposition, government]

actions:
  rally:
    role: opposition
    title: "Call a rally"
    description: "Bring people onto the square."
    outcomes:
      crowds:
        weight: "support"          # weights are expressions: odds move with the state
        text: "Thousands come onto the square."
        add: {support: 10, unrest: 10}
        marker: {place: square, kind: flag, label: "Rally"}
      fizzles:
        weight: "100 - support"
        text: "Only a few dozen turn up."
        add: {support: -5}
  organise:
    role: opposition
    title: "Organise in secret"
    description: "Build cells in the factories, out of the police's sight."
    visible_to: []                # nobody else sees this move ...
    cover:                        # ... the government hears this rumour instead
      title: "Informers' reports"
      text: "Police informers hear of meetings in the factories, but no names."
    outcomes:
      cells:
        text: "New cells form in three factories. Support stands at {support}."
        add: {support: 10}
      betrayed:
        weight: 0.5
        text: "An informer gives the police a list of names."
        visible_to: [government]    # this outcome the government does see
        add: {support: -10, order: 5}
        estimate: {support: {government: 10}}   # and it sharpens its estimate to a band 10 wide
  concede:
    role: government
    title: "Make a concession"
    description: "Give a little to calm the streets."
    history: {when: "Day one, noon", note: "What really happened, told beside the player's game.", turns: [1]}
    outcomes:
      calms:
        text: "The concession calms the streets."
        add: {unrest: -15, order: 5, support: 5}
  crack_down:
    role: government
    title: "Crack down"
    description: "Send the police to clear the square."
    when: "unrest > 10"
    unavailable: "There is nothing to crack down on."
    outcomes:
      cleared:
        weight: 2
        text: "The square is cleared."
        add: {order: 10, unrest: 10}
      backfires:
        weight: 1
        text: "The crowd grows angrier."
        add: {unrest: 25, support: 10}

events:
  storm:
    title: "A storm"
    chance: 0.2
    outcomes:
      rain:
        text: "Heavy rain empties the streets."
        add: {unrest: -10}

endings:
  revolution:
    title: "The government falls"
    when: "unrest >= 80"
    epilogue: "The crowds fill the square until the ministers resign."
    scores: {government: 0, opposition: 100}
  restored:
    title: "Order restored"
    when: "order >= 95"
    epilogue: "Life returns to normal, for now."
    scores: {government: 80, opposition: 10}
  muddle:
    title: "Muddling through"
    at_turn_limit: true
    historical: true
    epilogue: "Neither side wins; the crisis fades."
    scores: {government: "order", opposition: "support"}

balance:
  - name: "Random play can end every way"
    policies: {government: random, opposition: random}
    games: 1000
    expect:
      - {ending: revolution, at_least: 0.05}
      - {ending: restored, at_least: 0.05}
      - {ending: muddle, at_least: 0.05}
"""
