"""Words and patterns of spoken HVAC service calls that every analysis shares: numbers as people say
them, equipment names, the guards that stop a cue from counting (declined, already owned, about
someone else, hedged), commitments, quote requests, safety hazards and technician jargon.

Catalog cue patterns may use four macros, expanded before compiling (catalog.py):
`{num}` a number in digits or words ("15", "fifteen", "twenty-two", "a couple"), `{ordinal}` "third",
`{equipment}` any equipment noun below, `{units}` a noun counting pieces of equipment or sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "EQUIPMENT",
    "Equipment",
    "MACROS",
    "parse_number",
]

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
# Spoken approximations count as their usual value: "a couple of times" is two repairs.
_VAGUE_WORDS = {
    "a couple": 2,
    "a couple of": 2,
    "couple": 2,
    "a few": 3,
    "several": 3,
    "a dozen": 12,
    "dozen": 12,
}
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUMBER_RE = (
    r"(?:\d+(?:\.\d+)?"
    rf"|(?:{_alternation(list(_TENS_WORDS))})(?:[-\s](?:{_alternation(list(_UNITS_WORDS))}))?"
    rf"|{_alternation(list(_UNITS_WORDS))}"
    rf"|{_alternation(list(_VAGUE_WORDS))})"
)
ORDINAL_RE = rf"(?:{_alternation(list(_ORDINALS))}|\d+(?:st|nd|rd|th))"


def parse_number(raw: str) -> float | None:
    """A number as written or said ("15", "fifteen", "twenty-two", "a couple") -> its value."""
    spoken = raw.strip().lower()
    if not spoken:
        return None
    if spoken[0].isdigit():
        try:
            return float(spoken.replace(",", ""))
        except ValueError:
            return None
    if spoken in _VAGUE_WORDS:
        return float(_VAGUE_WORDS[spoken])
    total = 0
    for part in re.split(r"[-\s]+", spoken):
        if part in _TENS_WORDS:
            total += _TENS_WORDS[part]
        elif part in _UNITS_WORDS:
            total += _UNITS_WORDS[part]
        else:
            return None
    return float(total)


def parse_ordinal(raw: str) -> int | None:
    spoken = raw.strip().lower()
    if spoken in _ORDINALS:
        return _ORDINALS[spoken]
    digits = re.match(r"(\d+)(?:st|nd|rd|th)$", spoken)
    return int(digits.group(1)) if digits else None


# ------------------------------------------------------------------------------------------------
# Equipment


@dataclass(frozen=True)
class Equipment:
    """A kind of equipment: `key` indexes catalog prices (`price_by_equipment`), `name` is how a
    title says it ("Fire Pump"), `pattern` how people say it."""

    key: str
    name: str
    pattern: re.Pattern[str]


def _equipment(key: str, name: str, pattern: str) -> Equipment:
    return Equipment(key, name, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))


# More specific kinds first: "heat pump" before "pump", "rooftop unit" before "unit".
EQUIPMENT: tuple[Equipment, ...] = (
    _equipment("fire_pump", "Fire Pump", r"fire ?pumps?|jockey pumps?"),
    _equipment("heat_pump", "Heat Pump", r"heat ?pumps?"),
    _equipment("mini_split", "Ductless Mini Split", r"mini[- ]?splits?|ductless"),
    _equipment("rooftop_unit", "Rooftop Unit", r"rooftop units?|roof ?top units?|rtus?"),
    _equipment("unit_heater", "Unit Heater", r"unit heaters?|(?:gas |hanging )?heaters? over (?:the )?dock"),
    _equipment("chiller", "Chiller", r"chillers?"),
    _equipment("boiler", "Boiler", r"boilers?"),
    _equipment("furnace", "Furnace", r"furnaces?"),
    _equipment(
        "air_conditioner",
        "Air Conditioner",
        r"air conditioners?|air conditioning|a/?c units?|(?<![\w/])a/?c(?![\w/])|central air|condensers?|"
        r"condensing units?|outdoor units?",
    ),
    _equipment("air_handler", "Air Handler", r"air handlers?"),
    _equipment("water_heater", "Water Heater", r"water heaters?"),
    _equipment("thermostat", "Thermostat", r"thermostats?"),
    _equipment("pump", "Pump", r"pumps?"),
    _equipment("ptac", "PTAC Unit", r"ptacs?|ptac units?"),
    _equipment("system", "HVAC System", r"(?:whole |entire |hvac )?systems?"),
    _equipment("unit", "Unit", r"units?"),
)
EQUIPMENT_BY_KEY = {e.key: e for e in EQUIPMENT}
_EQUIPMENT_NOUNS = (
    r"(?:fire ?pumps?|heat ?pumps?|mini[- ]?splits?|rooftop units?|rtus?|unit heaters?|heaters?|chillers?|"
    r"boilers?|furnaces?|air conditioners?|a/?c(?: units?)?|central air|condensers?|air handlers?|"
    r"water heaters?|pumps?|ptacs?|(?:whole |entire |hvac )?systems?|units?|equipment|machine|thing|one|ones)"
)
_COUNTED_NOUNS = (
    r"(?:rooftop units?|rtus?|units?|heaters?|furnaces?|boilers?|systems?|houses|homes|rentals?|"
    r"properties|buildings|locations|stores|sites|condos|apartments|offices|schools|pumps?|chillers?)"
)

MACROS = {"num": NUMBER_RE, "ordinal": ORDINAL_RE, "equipment": _EQUIPMENT_NOUNS, "units": _COUNTED_NOUNS}

# ------------------------------------------------------------------------------------------------
# Guards: what makes a cue in a clause not an opportunity.


def _compile(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# The customer turns it down or says there is no need; scoped to the clause of the cue.
DECLINE_RE = _compile(
    r"\b(?:don't|do not|doesn't|does not|didn't|won't|wouldn't|never)\s+(?:really\s+|even\s+)?"
    r"(?:need|want|care|plan to|intend|bother)\b",
    r"\bno (?:need|interest|way|thanks?|thank you)\b",
    r"\bnot (?:interested|looking|ready|planning|going to (?:replace|buy|spend|put)|in the market|putting|"
    r"spending|investing|worth it|doing that|right now|now|this year|before)\b",
    r"\b(?:we're|we are|i'm|i am|it's|that's) (?:fine|good|okay|ok|all set)(?: with| for now|,|\.|$)",
    r"\b(?:until|till|when) (?:it|this one|that one|the old one) (?:dies|quits|breaks down|gives out|stops)\b",
    r"\brun it (?:until|till|into the ground)\b",
    r"\bnothing fancy\b|\banything fancy\b",
    r"\bjust keep it (?:alive|running|going)\b",
    r"\bselling the (?:house|place|building|property)\b",
)
# An ownership or purchase that already happened; scoped to the clause of the cue.
PAST_PURCHASE_RE = _compile(
    r"\b(?:we|i|they) (?:just |already |recently |finally )?"
    r"(?:replaced|installed|bought|purchased|upgraded|got|put in|added|signed up)\b",
    r"\b(?:we|i)(?:'ve| have)? (?:just |already |recently )?(?:had|got) (?:it|the|them|our|a|an)\b[^.,;]{0,40}?"
    r"\b(?:done|cleaned|installed|replaced|put in|serviced|sealed|upgraded)\b",
    r"\b(?:already|recently|just) (?:have|has|got|had|own)\b",
    r"\b(?:brand new|all new|only (?:a |about )?(?:one|two|three|\d) years? old|put it in when)\b",
    r"\b(?:last|this) (?:year|spring|summer|fall|winter|month) we (?:replaced|installed|got|put in)\b",
    # "the new heat pump has been amazing", "since you guys added the zoning": owned and praised.
    r"\bthe new (?:[\w-]+ ){0,2}(?:has|have|is|was|works|runs|'s)\b",
    r"\b(?:we've|we have|i've|i have|we) got (?:a|an|the|one|two) [^.,;]{0,40}?(?:\balready\b|\bfrom you(?: guys)?\b)",
    r"(?<!can )(?<!could )(?<!would )(?<!will )\b(?:you|you guys|your (?:crew|team|company)|they) "
    r"(?:installed|added|replaced)\b",
)
# Someone outside the household owns, bought or recommends it.
THIRD_PARTY_RE = _compile(
    r"\bmy (?:neighbou?r|friend|brother|sister|cousin|co-?worker|colleague|boss|mom|mother|dad|father|parents|"
    r"in-laws|son|daughter|buddy|uncle|aunt)(?:-in-law)?(?:\s+\w+)?\s+(?:just\s+|recently\s+|also\s+)?"
    r"(?:replaced|installed|bought|got|put|has|had|says|said|told|tells|keeps telling|thinks|recommended|"
    r"swears|did|went)\b",
    r"\b(?:the )?(?:neighbou?rs?|girls at church|guys at work|people at work) (?:keep telling|say|said|told|"
    r"all have|have|got|replaced|installed)\b",
    r"\b(?:he|she|they) (?:just |recently |also |even )?(?:replaced|installed|bought|got|put in|says|said|told us)\b",
    r"\b(?:his|her) (?:bills?|system|house|unit|furnace|ac|thermostat|garage|basement|office)\b",
)
# Ownership said about "one of those" in the next clause: "the humidifier, we already have one".
OWNED_REFERENCE_RE = _compile(
    r"\b(?:already|just|recently) (?:have|has|got|own|bought|installed|put in) (?:one|it|them|that|those|"
    r"one of those|one of them|these)\b",
    r"\b(?:we|i) (?:have|own) (?:one|one of those) already\b",
)
# Expressed with reservation: still an opportunity, at lower confidence and priority.
HEDGE_RE = _compile(
    r"\b(?:maybe|might|someday|some day|eventually|at some point|down the road|not sure|we'll see|"
    r"possibly|thinking about|one day|in a few years|later on)\b"
)
# "I don't think the ducts have ever been cleaned": a negation of knowing, not of needing.
EPISTEMIC_RE = re.compile(
    r"\b(?:don't|do not|can't|cannot|couldn't)\s+(?:think|know|remember|recall)\b", re.I
)

# Household or the customer's own voice marker at the start of a clause: "I", "we", "my wife".
ANAPHORA_RE = _compile(
    r"\bhow much (?:is|would|does|will|for|are) (?:that|it|this|those|one|them|all)\b",
    r"\bhow much (?:is|would|does) (?:that|it|this) (?:cost|run|be)\b",
    r"\bwhat (?:would|does|will|do) (?:that|it|this|those|something like that) (?:cost|run|be|look like)\b",
    r"\bwhat (?:would|does) (?:that|it) (?:look like|involve)\b",
    r"\bwhat kind of money\b",
    r"\btell me more\b",
    r"\bsign (?:me|us) up\b",
    r"\blet's (?:do (?:it|that|the \w+(?: one)?)|go (?:with|ahead with) (?:it|that)|start with)\b",
    r"^(?:yes|yeah|okay|ok|sure)?[,.!]?\s*(?:please )?do it\b",
    r"\b(?:please|yes,?) (?:do|add) (?:it|that|them)\b",
    r"^(?:please do|do it)\b",
    r"\bi'?d (?:honestly |really )?like (?:that|to know what that would|to do that|to hear more)\b",
    r"\bthat (?:sounds|would be) (?:good|great|interesting|like a good idea)\b",
    r"\bthat sounds like (?:exactly |just )?what (?:we|i) need\b",
    r"\blet's (?:look at|try|see about) (?:that|it|one)\b",
    r"\bprice (?:that|it|them) out\b|\bsend (?:me )?(?:the |a )?price\b|\bgive (?:us|me) a number\b",
    r"\bput a (?:number|price) on (?:that|it)\b",
    r"\b(?:can|could) you (?:include|add|send|quote|price|put) (?:that|it|them|something)\b",
    r"\bput (?:that|it) in writing\b",
    r"\bsend me (?:something|the details|info|information|a quote|a proposal|pricing)\b",
    r"\b(?:interested|curious) in (?:one of those|that|those|it)\b",
    r"\bhow (?:soon|fast|quickly) (?:could|can) (?:you|that)\b",
    r"\bwould (?:that|it) (?:help|work|fix)\b",
)

# ------------------------------------------------------------------------------------------------
# Quote requests, commitments, safety, jargon, recap


QUOTE_REQUEST_RE = _compile(
    r"\bhow much (?:would|does|will|is|are|for|do|did|to|money)\b",
    r"\bwhat (?:it|that|this|one|a new \w+) (?:would|will|does|is going to) (?:cost|run)\b",
    r"\bwhat (?:would|does|will|do|did) (?:it|that|this|a new \w+|one|those|something like that|the \w+) "
    r"(?:cost|run|be|set (?:me|us) back)\b",
    r"\bwhat (?:would|does|will) (?:that|it) run\b",
    r"\bwhat kind of (?:money|price|cost)\b",
    r"\b(?:give|get|send) (?:me|us) (?:a |an |the )?(?:price|quote|estimate|number|ballpark|proposal|budgetary)\b",
    r"\b(?:price|pricing|quote|estimate|ballpark|budgetary number)\b[^.?!]{0,30}\b(?:for|on)\b",
    r"\bwhat(?:'s| is) the (?:price|cost|damage)\b",
    r"\bput (?:that|it|a price) in writing\b",
    r"\bsend me (?:a |the )?(?:quote|price|pricing|estimate|proposal|budgetary number)\b",
    r"\bprice (?:that|it|them) out\b|\bput a (?:number|price) on\b|\bgive (?:us|me) a number\b",
)
PRICE_STATED_RE = _compile(
    r"\$\s?\d",
    rf"\b{NUMBER_RE}(?:[-\s](?:hundred|thousand|grand|k))+\b",
    r"\b\d[\d,.]*\s?(?:dollars|bucks|k)\b",
    rf"\b{NUMBER_RE}\s+(?:dollars|bucks)\b",
    r"\b(?:hundred|thousand) dollars\b",
    # "one eighty-nine a year": how people say $189.
    r"\b(?:one|two|three|four|five|six|seven|eight|nine) (?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-\w+)? (?:a year|a month|per year|per unit|each|installed|a visit)\b",
)

_FOLLOW_UP_VERBS = (
    r"send|email|e-mail|text|call|phone|get back|schedule|book|order|bring|come back|be back|follow up|"
    r"quote|put together|reach out|mail|drop off|enroll|put it on|have (?:the office|someone|our \w+|"
    r"it|a quote|the quote|a proposal|the proposal|an estimate|pricing)|get (?:you|that|it) (?:a|the|over|to)|"
    r"contact|do a site survey|look into|mention it|install|leave (?:you )?(?:a|the) (?:written )?(?:estimate|quote|proposal)"
)
# "I'll measure it today and have a quote to you by Wednesday": the follow-up may be the second verb.
COMMITMENT_RE = re.compile(
    r"\b(?P<who>i'll|i will|i'm going to|i am going to|we'll|we will|we're going to|we are going to|"
    r"i can have|i'll have|someone will|somebody will|the office will|our (?:office|estimator|team|"
    r"commercial estimator) will)\s+(?:[\w']+\s+){0,6}?(?:and\s+(?:then\s+)?)?"
    r"(?:also\s+|definitely\s+|personally\s+|make sure to\s+)?"
    rf"(?P<verb>{_FOLLOW_UP_VERBS})\b",
    re.IGNORECASE,
)
# Follow-ups that are only a promise with a time: "I'll come back and walk you through it" is in-call.
NEEDS_DUE_RE = re.compile(r"^(?:come back|be back|install|look into)$", re.IGNORECASE)
# "I can book it for next week" is an offer that counts as a commitment only with a time.
OFFER_RE = re.compile(
    r"\b(?P<who>i can|we can)\s+(?P<verb>book|schedule|send|email|have (?:someone|the office|our \w+)|"
    r"get you (?:a|the)|come back)\b",
    re.IGNORECASE,
)
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
DUE_RE = re.compile(
    r"\b(?:(?:by|before|within|on|until|first thing|at)\s+)?"
    r"(?:(?:noon |end of (?:day |the day )?)?(?:tomorrow|today)(?: (?:morning|afternoon|evening|night|noon))?|"
    r"tonight|this (?:afternoon|evening|morning|week|weekend)|"
    rf"(?:next )?(?:{_DAYS})(?: (?:morning|afternoon|evening))?|next (?:week|month|visit|fiscal year)|"
    rf"(?:noon|end of (?:the )?day|eod)(?: (?:tomorrow|today|{_DAYS}))?|"
    rf"(?:{NUMBER_RE}|\d+|a|an|a couple of) (?:hours?|days?|business days?|weeks?)(?: of (?:that|getting it))?|"
    r"before i (?:go|leave|head out)|"
    r"\d{1,2}(?::\d{2})? ?(?:am|pm|a\.m\.|p\.m\.)|eight tomorrow morning|"
    r"the (?:fall|spring) visit|in the (?:spring|fall))\b",
    re.IGNORECASE,
)

SAFETY_HAZARDS: dict[str, re.Pattern[str]] = {
    "gas": _compile(
        r"\b(?:smell(?:s|ing)? (?:of |like )?(?:gas|propane)|gas (?:smell|odou?r|leak)|rotten eggs?)\b",
        r"\b(?:rotten egg (?:kind of )?smell)\b",
    ),
    "carbon_monoxide": _compile(
        r"\b(?:carbon monoxide|co) (?:alarm|detector)s?\b[^.?!]{0,30}?\b(?:went off|go(?:es)? off|is going off|"
        r"keeps? (?:going off|beeping|chirping)|chirp\w*|beep\w*|sound\w*)",
        r"\b(?:alarm|detector) (?:went off|keeps going off)\b",
        r"\bheadaches? and (?:dizz\w+|nause\w+)\b",
    ),
    "fire": _compile(
        r"\b(?:burning (?:smell|plastic)|smells? (?:like )?(?:something )?burning|smoke (?:coming|from)|sparks?|"
        r"sparking|scorch\w*|melted wires?)\b"
    ),
    "water_electrical": _compile(
        r"\bwater (?:on|near|around|dripping on) (?:the )?(?:panel|breaker|outlet|wires?)\b"
    ),
}
SAFETY_ACTION_RE = _compile(
    r"\b(?:shut (?:off|it off|down|the \w+ off)|turn(?:ed|ing)? (?:off|it off|the \w+ off)|ventilat\w*|"
    r"open (?:the|a|some) (?:door|window)s?|get (?:everyone|the kids|your family|out)|outside|evacuat\w*|"
    r"don't (?:flip|use|light|touch|run|go back)|red tag\w*|co meter|gas detector|combustible gas|detector|"
    r"stay out|leave the house|call 911|fire department)\b"
)

# Terms of the trade a homeowner rarely knows. Longer phrases first so "run cap" wins over "cap".
JARGON_RE = re.compile(
    r"\b(?:superheat|subcool(?:ing)?|delta[- ]t|static pressure|seer2?|afue|hspf|eer|btus?|tonnage|"
    r"txv|expansion valve|metering device|run cap(?:acitor)?|start cap(?:acitor)?|dual run cap|"
    r"microfarads?|mfd|contactor|inducer(?: motor)?|limit switch|pressure switch|flame (?:sensor|rod)|"
    r"psc motor|ecm motor|plenum|return(?:'s)? (?:is )?undersized|merv ?\d+|cfm|inches of water column|"
    r"water column|micron|r-?22|r-?410a?|restriction|short[- ]cycling|lockout|rollout switch|"
    r"combustion analysis|draft inducer|makeup air|economizer|vav box|reversing valve|defrost board)\b",
    re.IGNORECASE,
)
EXPLANATION_RE = _compile(
    r"\bwhich (?:means|is the|just means)\b",
    r"\bthat(?:'s| is) (?:the part|what|basically|like)\b",
    r"\bin other words\b|\bbasically\b|\bthink of (?:it|that) (?:as|like)\b|\bmeaning\b",
    r"\bwhat that means\b|\bthat means\b|\bin plain (?:english|terms)\b|\bsimply put\b",
)
CONFUSION_RE = _compile(
    r"\bno idea what\b|\bwhat (?:does|do) (?:that|those|any of that) (?:mean|means)\b",
    r"\bwhat(?:'s| is) (?:a |an |the )?[\w-]+(?: [\w-]+)?\?",
    r"\bdon't (?:understand|follow)\b|\bnot sure what (?:that|those|any of that) (?:is|means|mean)\b",
    r"\bsorry,? what\b|\bin english\b|\bi'?m lost\b|\blost me\b|\bover my head\b",
    r"\bhave no idea what (?:most|any) of that\b",
)
RECAP_RE = _compile(
    r"\bto (?:recap|summari[sz]e|sum (?:it )?up)\b",
    r"\b(?:quick|short) (?:recap|summary)\b",
    r"\bso (?:today|what we did|here's what)\b",
    r"\bhere's what (?:i|we) (?:did|found)\b",
    r"\bjust to go over\b",
)
WORK_DONE_RE = _compile(
    r"\b(?:i|we)(?:'ve| have)? (?:just )?(?:replaced|cleaned|changed|fixed|installed|swapped|adjusted|tightened|"
    r"cleared|resealed|repaired|recharged|thawed|opened|unclogged|reset|tested|checked|put in|sealed)\b",
    r"\b(?:is|are|was|'s) (?:replaced|cleaned|installed|fixed|resealed|tuned up|done|serviced|adjusted)\b",
)
OUTCOME_RE = _compile(
    r"\b(?:running|working|cooling|heating|firing) (?:normally|fine|well|again|properly|correctly|now)\b",
    r"\b(?:it's|it is|you're|everything's|everything is) (?:running|working|cooling|heating|good|all set|"
    r"safe|fine)\b",
    r"\bpassed (?:its|the|it's) (?:tune-?up|inspection)\b|\b(?:in )?(?:good|decent|great) shape\b",
    r"\b(?:charge|pressures?|readings?|airflow) (?:is|are|look|looks) (?:good|fine|right|normal)\b",
    r"\bwithin spec\b|\btests? (?:clean|fine|good)\b|\blooks? good\b",
    r"\byou(?:'ll| will) (?:get|have)\b|\bcomes? (?:tonight|tomorrow|monday|friday|thursday|wednesday)\b",
)
EMPATHY_RE = _compile(
    r"\bsorry\b|\bapologi[sz]\w*\b|\bi understand\b|\bi hear you\b|\bthat's frustrating\b|\bi get it\b",
    r"\bthat's a lot\b|\brough\b|\bi'?d be (?:frustrated|upset) too\b|\bthanks for (?:your )?patience\b",
    r"\bi know (?:that's|this is|it's)\b|\bmakes sense\b|\bfair (?:question|enough)\b",
)
ANGER_RE = _compile(
    r"\bridiculous\b|\bunacceptable\b|\bfed up\b|\bdone paying\b|\bfrustrat\w*\b|\bfurious\b|\bangry\b",
    r"\bsick (?:and tired )?of\b|\bnobody (?:called|showed|came)\b|\bwaste of (?:time|money)\b",
    rf"\b(?:the )?{ORDINAL_RE} time (?:someone|somebody|you|we|they)(?:'ve|'s| have| has)? (?:been|had|come|came)\b",
)
COMPLAINT_RE = _compile(
    ANGER_RE.pattern,
    r"\bsupposed to (?:be here|come|call)\b|\btook (?:the|a) (?:whole )?day off\b|\bfor nothing\b",
    r"\b(?:no one|nobody) (?:called|showed|came)\b|\bexact same\b|\bsame (?:problem|thing) (?:again|as last time)\b",
    rf"\b(?:the )?{ORDINAL_RE} time (?:this|that|in)\b",
)
THANKS_RE = _compile(r"\bthank(?:s| you)\b|\bappreciate\b|\b(?:you're|you are) a lifesaver\b|\bgrateful\b")
PRAISE: dict[str, re.Pattern[str]] = {
    "professional": _compile(r"\bprofessional\b"),
    "thorough": _compile(r"\bthorough\b|\bdetailed\b"),
    "explained well": _compile(
        r"\bexplain\w* (?:everything |that |it |things )?(?:really |so |very )?(?:well|clearly)\b",
        r"\bclear explanation\b|\bstraight answer\b",
    ),
    "fast response": _compile(
        r"\bcoming so (?:fast|quickly)\b|\bso (?:fast|quick)\b|\bcoming (?:out )?so early\b"
    ),
    "calm": _compile(r"\bcalm\b"),
    "quick": _compile(r"\b(?:you were|that was) (?:quick|fast)\b"),
    "friendly": _compile(r"\b(?:such a )?nice young\b|\bfriendly\b|\b(?:so|very|you're) kind\b"),
    "lifesaver": _compile(r"\blifesaver\b"),
    "helpful": _compile(r"\bhelpful\b|\bthat helps\b"),
}
PROBLEM_RE = _compile(
    r"\b(?:not|isn't|wasn't|won't|doesn't|didn't|no) (?:cooling|heating|working|turning on|firing|blowing|"
    r"keeping up|coming on|heat|air)\b",
    r"\b(?:blowing (?:warm|cold|hot)|warm air|cold air|no heat|freezing|too (?:hot|cold)|hotter|colder|noise|"
    r"noisy|squeal\w*|rattl\w*|bang\w*|whoosh\w*|leak\w*|drip\w*|ice|icing|froze up|frozen (?:up|coil)|overheat\w*|smell\w*|dead|broke\w*|"
    r"running (?:all the time|constantly|nonstop)|nonstop|barely|short cycling|on and off|dust|damp|muggy|"
    r"sticky|dry|trouble)\b",
)
