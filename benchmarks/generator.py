"""A seeded corpus of fictional police-conduct documents, the distractors of the scale benchmark.

Two layouts the real ingest parses, about invented forces only (so that no generated document
names a force of the shipped knowledge base or of the dev set):

- IOPC recommendation pages (`.txt` with a `.meta.yaml` sidecar, the layout of
  data/corpus/recommendations/): a title line, the intro, the IOPC reference, then per
  recommendation "The IOPC recommends that ...", its finding, "Do you accept the
  recommendation?", the answer and the force's response;
- sectioned Markdown documents (the layout of data/corpus/guidance/ and legislation/): force
  procedures with `para N.M` sections and local regulations with `reg N` sections.

Sentences are templates filled from seeded choices over sixteen themes (custody, vetting, use
of force, domestic abuse, body-worn video, ...), so the vocabulary overlaps the real corpus the
way a larger collection of conduct documents would. Every section stays between 45 and 90
words (real IOPC paragraphs are that size; the encoder's speed depends on length), far under the encoder's 256 word pieces, so each section is exactly one passage:
a page with k answered recommendations is 1 + 2k passages (summary, then a recommendation
and a response section each), a page still awaiting its response 1 + k, a Markdown document
one per section. That makes the passage count exact by construction; tests/benchmarks/test_generator.py
checks it against the real loader and chunker.

The same (passages, seed) writes byte-identical files: one `random.Random(seed)` drives every
choice, in a fixed order.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

# Invented names: none is, or contains the name of, a real UK police force.
FORCES = (
    "Midshire Police",
    "Northvale Constabulary",
    "Westmarch Police",
    "Eastholm Constabulary",
    "Southmere Police",
    "Brackenshire Police",
    "Fenmoor Constabulary",
    "Highwold Police",
    "Lowmarsh Constabulary",
    "Kingsvale Police",
    "Oakshire Constabulary",
    "Ravensdale Police",
    "Ashcombe Constabulary",
    "Greyfield Police",
    "Silverbrook Police",
    "Marchmont Constabulary",
    "Coldharbour Police",
    "Elmsford Constabulary",
    "Hollowmere Police",
    "Brightwater Constabulary",
    "Stonecross Police",
    "Wyvernshire Police",
    "Harrowdale Constabulary",
    "Dunmarsh Police",
)
# Every generated file name and document id starts with this (see is_generated).
PREFIX = "gen-"
TOWNS = (
    "Brackenford", "Eastwick Vale", "Greymouth", "Hollin Cross", "Kestrel Bay", "Longmere",
    "Millbrae", "Nethercombe", "Oldcastle Heath", "Pennyford", "Quarrington", "Rookhaven",
    "Saltmarsh", "Tarnby", "Upwold", "Vale End", "Whinmoor", "Yarrowby",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
ROLES = (
    "a response officer", "a custody sergeant", "a detective constable",
    "a police community support officer", "a control room supervisor", "a neighbourhood inspector",
    "a special constable", "a member of police staff", "a student officer",
    "a roads policing officer", "a public protection investigator", "a detention officer",
)
UNITS = (
    "the Professional Standards Department", "the Learning and Development team",
    "the Organisational Learning Board", "the Performance and Assurance team",
    "the Continuous Improvement team", "the Standards and Ethics Board",
    "the Information Management Unit", "the Strategic Learning Group",
)
NUMBERS = ("two", "three", "four", "five", "six", "eight", "ten", "twelve")
# Named sometimes in a recommendation, as real pages do, so the distractors share their words.
INSTRUMENTS = (
    ", in line with the Standards of Professional Behaviour",
    ", as set out in Authorised Professional Practice",
    ", consistent with the force's own written policy",
    ", in line with the relevant Code of Practice",
    ", so that local practice reflects national guidance",
)
# Sidecar files count: at most this many files share a folder.
FILES_PER_FOLDER = 1000
# Chance that the next document is an IOPC page rather than a Markdown document.
PAGE_SHARE = 0.6
# A section is filled to at least LOW words and never past HIGH.
LOW, HIGH = 45, 90


@dataclass(frozen=True)
class Theme:
    name: str
    topic: str  # how a question names it
    subjects: tuple[str, ...]  # "... an investigation into <subject>"
    findings: tuple[str, ...]  # "This follows an IOPC investigation where <finding>"
    actions: tuple[str, ...]  # "The IOPC recommends that <force> <action>"
    responses: tuple[str, ...]
    refusals: tuple[str, ...]
    policy: tuple[tuple[str, str], ...]  # (section heading, first sentence)
    document: str  # "<force> <document> Procedure"


THEMES = (
    Theme(
        "custody", "rousing checks and detainee care in custody",
        (
            "the care of a man detained in custody at {town} after his arrest for being drunk and disorderly",
            "the death of a woman shortly after her release from the custody suite at {town}",
            "the way detention officers checked on a detainee who had taken drugs before his arrest",
        ),
        (
            "a detainee was checked through the cell hatch on {n} occasions without being roused",
            "the custody record showed checks as complete although no verbal response had been obtained",
            "the handover between custody sergeants at the change of shift did not mention the detainee's head injury",
            "the risk assessment was not reviewed after the detainee disclosed thoughts of self-harm",
        ),
        (
            "ensure all custody staff receive refresher training on rousing checks and on recording the response obtained",
            "review how risk assessments are updated when a detainee's condition changes during detention",
            "introduce a structured handover between custody sergeants that covers every detainee's known risks",
            "make sure healthcare advice given to custody staff is recorded on the custody record and acted upon",
        ),
        (
            "Refresher training on rousing checks was delivered to all custody staff by {month} {year} and is now part of the annual custody training programme.",
            "A structured handover template has been added to the custody system and is audited each month by {unit}.",
            "Custody inspectors now dip-sample {n} custody records a week to check that rousing checks are recorded correctly.",
        ),
        (
            "The force considers that its existing custody policy already sets out the rousing check requirements in full.",
            "The custody suite at {town} is due to close, and the new building has been designed with continuous cell monitoring.",
        ),
        (
            ("Rousing checks", "A detainee assessed as needing rousing must be woken and must give a verbal response at each check."),
            ("Handover", "At every change of shift the outgoing custody sergeant must brief the incoming sergeant on each detainee's risks."),
            ("Risk assessment", "The risk assessment must be reviewed whenever new information about a detainee's health or behaviour becomes known."),
            ("Healthcare referrals", "Custody staff must call the healthcare professional when a detainee appears unwell or reports an injury."),
        ),
        "Custody",
    ),
    Theme(
        "vetting", "vetting and re-vetting of officers and staff",
        (
            "the vetting of a student officer who had undisclosed links to a person involved in organised crime",
            "the recruitment of a member of staff whose previous dismissal from another organisation was not checked",
            "the re-vetting of an officer whose financial circumstances had changed significantly",
        ),
        (
            "the vetting decision was made without checking intelligence held by a neighbouring force",
            "an officer's notifiable association was declared but was not reviewed by the vetting unit for {n} months",
            "the vetting renewal was overdue and no reminder had been sent to the officer or the supervisor",
            "the reasons for granting clearance despite adverse information were not recorded",
        ),
        (
            "review its vetting procedure so that intelligence from other forces is checked before clearance is granted",
            "make sure every vetting decision that departs from the adverse information is recorded with its rationale",
            "introduce a system that alerts supervisors when an officer's vetting renewal is due",
            "remind officers and staff of their duty to report changes in their personal circumstances",
        ),
        (
            "The Force Vetting Unit now checks the national intelligence systems for every applicant before clearance is granted.",
            "A vetting renewal alert was added to the duty management system in {month} {year}.",
            "All officers and staff were reminded of the duty to report changes in circumstances through a message from the deputy chief constable.",
        ),
        (
            "The force already records the rationale for vetting decisions and does not consider a further change necessary.",
        ),
        (
            ("Clearance levels", "The level of vetting clearance must match the role and the information the post holder can access."),
            ("Notifiable associations", "Officers and staff must declare any association with a person involved in crime as soon as they become aware of it."),
            ("Renewal", "Vetting clearance must be renewed before it expires, and the supervisor must be told when a renewal is overdue."),
            ("Adverse information", "Where clearance is granted despite adverse information, the decision maker must record the reasons in full."),
        ),
        "Vetting",
    ),
    Theme(
        "use of force", "use of force and restraint",
        (
            "the restraint of a man in the street at {town} after officers were called to a disturbance",
            "the use of a Taser on a teenager who was running away from officers",
            "the arrest of a woman who suffered a broken wrist while being handcuffed",
        ),
        (
            "officers kept a man in the prone position for several minutes after he had been handcuffed",
            "a Taser was discharged without a clear warning being given first",
            "no use of force form was completed for {n} of the officers who used force",
            "officers did not recognise the signs of acute behavioural disturbance during the restraint",
        ),
        (
            "remind officers of the risks of prolonged restraint in the prone position and of the need to move the person as soon as possible",
            "make sure every officer who uses force completes a use of force form before the end of the shift",
            "review its officer safety training so that it covers the signs of acute behavioural disturbance",
            "check that Taser refresher training includes the giving of a clear warning wherever practicable",
        ),
        (
            "Officer safety training now includes a practical session on positional asphyxia and the recovery position.",
            "Supervisors review every use of force form within seven days, and the results are reported to {unit}.",
            "A briefing on acute behavioural disturbance was issued to all frontline officers in {month} {year}.",
        ),
        (
            "The national curriculum already covers prone restraint in detail, and the force does not intend to add local training.",
        ),
        (
            ("Recording use of force", "Every officer who uses force must complete a use of force form before going off duty."),
            ("Prone restraint", "A person held in the prone position must be moved to a safer position as soon as it is safe to do so."),
            ("Taser", "Before discharging a Taser the officer must give a clear warning unless doing so would put someone at risk."),
            ("Medical assessment", "Anyone injured during an arrest must be seen by a paramedic or taken to hospital without delay."),
        ),
        "Use of Force",
    ),
    Theme(
        "domestic abuse", "the response to domestic abuse",
        (
            "the police response to a woman who had reported domestic abuse by her former partner on {n} occasions",
            "the handling of a breach of bail conditions by a man suspected of controlling and coercive behaviour",
            "contact between the police and a woman in the weeks before she was seriously assaulted by her partner",
        ),
        (
            "the risk assessment was graded as standard without considering the history of previous reports",
            "the suspect's breach of bail conditions was not recorded or acted upon for {n} days",
            "the victim was not referred to an independent domestic violence adviser",
            "officers did not check whether the suspect had a history of violence towards previous partners",
        ),
        (
            "make sure officers consider the full history of previous reports when grading a domestic abuse risk assessment",
            "review how breaches of bail conditions in domestic abuse cases are recorded and followed up",
            "remind officers of the need to refer high-risk victims to an independent domestic violence adviser",
            "provide further training on recognising controlling and coercive behaviour",
        ),
        (
            "Domestic abuse risk assessments are now reviewed by a specialist officer within {n} hours.",
            "Training on controlling and coercive behaviour was delivered to all response officers by {month} {year}.",
            "A daily management meeting now reviews every breach of bail conditions in domestic abuse cases.",
        ),
        (
            "The force already refers every high-risk victim automatically and does not consider further action necessary.",
        ),
        (
            ("Risk assessment", "Officers must complete a domestic abuse risk assessment at every incident and consider all previous reports."),
            ("Bail conditions", "A reported breach of bail conditions must be recorded and passed to the officer in the case the same day."),
            ("Referral", "High-risk victims must be referred to an independent domestic violence adviser and to the local risk conference."),
            ("Positive action", "Officers must take positive action to protect victims, and must record why an arrest was or was not made."),
        ),
        "Domestic Abuse",
    ),
    Theme(
        "body-worn video", "body-worn video activation and retention",
        (
            "an arrest outside licensed premises at {town} during which no body-worn video was recorded",
            "a complaint about the conduct of officers at a house search where footage was later deleted",
            "a stop of a vehicle at night in which the only footage came from a bystander's phone",
        ),
        (
            "none of the {n} officers present activated their body-worn video before force was used",
            "footage relevant to a complaint was deleted under the standard retention period",
            "an officer started recording only after the arrest, so the events leading to it were not captured",
            "the force's policy did not say when recording should begin at a pre-planned search",
        ),
        (
            "remind all frontline officers to activate body-worn video at the earliest opportunity when force may be used",
            "review its retention policy so that footage relevant to a complaint is kept until the complaint is finalised",
            "introduce supervisory dip-sampling of body-worn video activation at violent incidents",
            "update its body-worn video policy so that it covers pre-planned searches",
        ),
        (
            "A force-wide briefing on body-worn video activation was delivered to all response and neighbourhood teams.",
            "Sergeants now review a random sample of {n} incidents per team each month, with results reported to {unit}.",
            "The retention policy was updated in {month} {year} to keep footage linked to a complaint until it is finalised.",
        ),
        (
            "Activation is already mandatory under the current policy, and the force considers a further reminder unnecessary.",
        ),
        (
            ("Activation", "Officers must start recording as soon as they attend an incident where force may be used."),
            ("Retention", "Footage linked to a complaint or conduct matter must be retained until the matter is concluded."),
            ("Supervisory review", "Supervisors must dip-sample body-worn video activation for their team each month."),
            ("Pre-planned operations", "At pre-planned searches and arrests, recording must begin before officers approach the premises."),
        ),
        "Body-Worn Video",
    ),
    Theme(
        "social media", "personal social media and messaging groups",
        (
            "messages exchanged by officers in a private messaging group that were later reported by a colleague",
            "comments posted by an officer on a personal social media account about a live investigation",
            "an officer who contacted a victim of crime through a personal social media account",
        ),
        (
            "officers shared offensive images in a private messaging group and nobody challenged them",
            "an officer's public post revealed details of an investigation that the force had not released",
            "an officer used a personal account to send friendly messages to a vulnerable victim he had met at work",
            "colleagues who saw the posts were unsure whether they should report them",
        ),
        (
            "issue updated guidance on the use of personal social media and messaging applications by officers and staff",
            "make clear to officers and staff that contacting victims or witnesses through personal accounts is not acceptable",
            "remind officers and staff of their duty to challenge and report inappropriate messages, including in private groups",
            "include the risks of online disclosure of police information in its information security training",
        ),
        (
            "Updated social media guidance was published on the intranet in {month} {year} and highlighted in the staff bulletin.",
            "A confidential reporting line for concerns about colleagues' online behaviour has been promoted to all staff.",
            "New recruits now receive a session on social media and professional standards during initial training.",
        ),
        (
            "The force's existing social media policy already prohibits contacting victims through personal accounts.",
        ),
        (
            ("Personal accounts", "Officers and staff must not disclose police information or comment on live investigations on personal accounts."),
            ("Messaging groups", "Private messaging groups are not exempt from the standards expected of officers and staff."),
            ("Contact with the public", "Contact with victims and witnesses must be made through official channels only."),
            ("Reporting concerns", "Anyone who sees inappropriate online content posted by a colleague must report it to a supervisor."),
        ),
        "Social Media",
    ),
    Theme(
        "misconduct hearings", "misconduct hearings and meetings",
        (
            "delays in bringing misconduct proceedings against an officer who was suspended for over two years",
            "the arrangements for a misconduct hearing that was adjourned {n} times",
            "the handling of a reflective practice review process after a finding of practice requiring improvement",
        ),
        (
            "the misconduct hearing was adjourned repeatedly because the panel could not be convened",
            "the officer was not told the outcome of the severity assessment for {n} months",
            "the reflective practice review was not completed and the learning was never recorded",
            "the complainant was not invited to attend the hearing as an observer",
        ),
        (
            "review the arrangements for scheduling misconduct hearings so that panels can be convened without delay",
            "make sure officers subject to an investigation are told the outcome of the severity assessment promptly",
            "check that reflective practice reviews are completed and that the learning is recorded",
            "tell complainants of their right to attend misconduct hearings",
        ),
        (
            "A hearings coordinator now books panel members at the start of each investigation.",
            "Reflective practice reviews are tracked by {unit}, and overdue reviews are escalated to a superintendent.",
            "Complainants are now told in writing of their right to attend a misconduct hearing.",
        ),
        (
            "Hearing dates depend on the availability of independent panel members, which the force cannot control.",
        ),
        (
            ("Severity assessment", "The appropriate authority must record its assessment of whether the conduct amounts to misconduct or gross misconduct."),
            ("Scheduling", "Hearings must be listed as soon as practicable, and each adjournment must be recorded with its reason."),
            ("Reflective practice", "A reflective practice review must be completed within the agreed period and its learning recorded."),
            ("Attendance", "Complainants and interested persons must be told of their right to attend the hearing."),
        ),
        "Misconduct Proceedings",
    ),
    Theme(
        "training", "mandatory training and refresher courses",
        (
            "the first aid given by officers to a man who collapsed in a police van",
            "the actions of a student officer who had not completed mandatory e-learning before patrolling alone",
            "the response of officers to a person in crisis, none of whom had received recent training",
        ),
        (
            "{n} of the officers involved had not completed their annual first aid refresher",
            "a student officer was allowed to patrol alone before completing the required training modules",
            "records of completed training were incomplete, so the force could not tell who was up to date",
            "the training material still referred to guidance that had been withdrawn",
        ),
        (
            "make sure officers complete their first aid refresher training before it expires",
            "review how the completion of mandatory training is recorded and monitored by supervisors",
            "check that student officers complete all required modules before patrolling independently",
            "review its training material so that withdrawn guidance is removed",
        ),
        (
            "Training records are now held on one system, and supervisors receive a monthly list of overdue courses.",
            "First aid refresher compliance rose to {n} in ten officers by {month} {year}, and is reported to {unit}.",
            "Student officers are now signed off for independent patrol only after all modules are complete.",
        ),
        (
            "The force is replacing its training system and will review the recording of training when it goes live.",
        ),
        (
            ("Mandatory courses", "Officers and staff must complete the mandatory courses for their role before they expire."),
            ("Records", "Completion of every course must be recorded on the training system on the day it is completed."),
            ("Independent patrol", "Student officers may patrol alone only after their tutor and supervisor have signed them off."),
            ("Course material", "Course material must be reviewed each year and updated when guidance changes."),
        ),
        "Training",
    ),
    Theme(
        "record keeping", "record keeping and evidence retention",
        (
            "the loss of exhibits seized during a search of a flat at {town}",
            "the accuracy of pocket notebook entries made by officers after a fatal collision",
            "decision logs kept by senior investigating officers during a missing person inquiry",
        ),
        (
            "exhibits were booked into the property store without a continuity record",
            "officers wrote their notes together several hours after the incident without recording that they had conferred",
            "the decision log did not record why key lines of enquiry were closed",
            "records relevant to a complaint were destroyed under the routine retention schedule",
        ),
        (
            "review its property procedures so that every exhibit has a complete continuity record",
            "remind officers to record in their notes when and with whom they conferred",
            "make sure senior investigating officers record the rationale for closing lines of enquiry",
            "suspend routine destruction of records that are relevant to an open complaint",
        ),
        (
            "The property system now blocks the booking of an exhibit without a continuity entry.",
            "An audit of decision logs is carried out every quarter by {unit}.",
            "Guidance on conferring and note-taking was reissued to all officers in {month} {year}.",
        ),
        (
            "The existing note-taking guidance is considered sufficient, and the force will monitor compliance instead.",
        ),
        (
            ("Continuity", "Every exhibit must have a continuity record from seizure to disposal."),
            ("Notes", "Notes must be made as soon as practicable, and officers must record whether they conferred."),
            ("Decision logs", "Decision logs must record each significant decision and the reason for it."),
            ("Retention", "Records relevant to an open complaint or investigation must not be destroyed."),
        ),
        "Records Management",
    ),
    Theme(
        "stop and search", "stop and search",
        (
            "the stop and search of a young man at {town} railway station who was searched {n} times in a month",
            "a search in which the officer could not say what grounds he had relied on",
            "the supervision of stop and search records by first-line supervisors",
        ),
        (
            "the search record did not state the grounds for the search",
            "the officer did not give his name or station or explain the purpose of the search",
            "supervisors did not review search records, so poor grounds went unnoticed",
            "the person searched was not offered a copy of the search record",
        ),
        (
            "make sure officers record clear grounds for every stop and search",
            "introduce supervisory review of a sample of search records each month",
            "remind officers of the information they must give to the person searched",
            "share stop and search data with its community scrutiny panel",
        ),
        (
            "Supervisors now review {n} search records per officer each quarter.",
            "The community scrutiny panel reviews body-worn video of a sample of searches at each meeting.",
            "A briefing on the grounds for search was delivered to all frontline officers in {month} {year}.",
        ),
        (
            "Search records are already reviewed automatically by the records system, so a manual review is not needed.",
        ),
        (
            ("Grounds", "Officers must have reasonable grounds for a search and must record them on the search record."),
            ("Information to the person", "The person searched must be told the officer's name, station, the power used and the grounds."),
            ("Supervision", "Supervisors must review a sample of their team's search records each month."),
            ("Scrutiny", "Search data must be shared with the community scrutiny panel every quarter."),
        ),
        "Stop and Search",
    ),
    Theme(
        "missing persons", "missing person investigations",
        (
            "the search for a man reported missing from a care home at {town}",
            "the risk grading of a teenager who went missing {n} times in one month",
            "the handover of a missing person investigation between shifts",
        ),
        (
            "the risk was graded as low without speaking to the person who reported the disappearance",
            "the investigation was not reviewed by an inspector within the required period",
            "information from a previous missing episode was not considered",
            "the search of the home address was not completed for {n} hours",
        ),
        (
            "make sure missing person risk assessments take account of all previous episodes",
            "review the supervision of missing person investigations at the change of shift",
            "remind officers that the home address must be searched at the start of every investigation",
            "check that inspectors review high-risk cases within the period set by policy",
        ),
        (
            "Missing person investigations are now reviewed by an inspector at every change of shift.",
            "A missing persons coordinator was appointed in {month} {year} to monitor repeat episodes.",
            "The force's search guidance was updated and briefed to all response teams.",
        ),
        (
            "The force's policy already requires a search of the home address, and compliance will be monitored.",
        ),
        (
            ("Risk grading", "The initial risk grading must consider previous episodes and the views of the person reporting."),
            ("Home address search", "The home address must be searched at the start of every missing person investigation."),
            ("Supervision", "An inspector must review every high-risk case within the period set by this procedure."),
            ("Return interviews", "A return interview must be offered when a missing child is found."),
        ),
        "Missing Persons",
    ),
    Theme(
        "mental health", "people in mental health crisis",
        (
            "the police response to a man in mental health crisis on a bridge at {town}",
            "the detention of a woman in a police vehicle while officers waited for an ambulance for {n} hours",
            "contact between officers and a man who had told a call handler he intended to harm himself",
        ),
        (
            "officers waited for several hours for a place of safety without escalating the delay",
            "the call handler did not pass on the caller's disclosure of suicidal thoughts",
            "the mental health triage service was not consulted",
            "the person was taken to a custody suite although a health-based place of safety was available",
        ),
        (
            "make sure delays in finding a place of safety are escalated to a duty inspector",
            "review how call handlers pass on disclosures of self-harm to attending officers",
            "remind officers of the mental health triage service and how to contact it",
            "agree with health partners a process for people in crisis who are waiting for assessment",
        ),
        (
            "Delays of more than one hour in finding a place of safety are now escalated to the duty inspector.",
            "Call handlers received a briefing on recording and passing on disclosures of self-harm in {month} {year}.",
            "A joint protocol with the local health trust was signed and is reviewed by {unit}.",
        ),
        (
            "The availability of places of safety is a matter for health partners rather than the force.",
        ),
        (
            ("Place of safety", "A person detained for their own safety should be taken to a health-based place of safety, not a custody suite."),
            ("Escalation", "Delays in finding a place of safety must be escalated to the duty inspector."),
            ("Triage", "Officers should consult the mental health triage service before deciding how to act."),
            ("Call handling", "Call handlers must pass any disclosure of self-harm to the officers attending."),
        ),
        "Mental Health",
    ),
    Theme(
        "police driving", "police driving and vehicle pursuits",
        (
            "a police pursuit at {town} that ended when the pursued car struck a pedestrian",
            "a collision involving a police car responding to an emergency call",
            "the authorisation of a pursuit by the control room at night",
        ),
        (
            "the pursuit continued after the control room had told officers to stop",
            "the officer driving was not trained for pursuits",
            "the risk assessment was not updated as the pursuit entered a residential area",
            "the radio commentary was incomplete, so the control room could not judge the risk",
        ),
        (
            "remind drivers that they must stop a pursuit when told to do so by the control room",
            "make sure only drivers trained for pursuits take part in them",
            "review the training of control room supervisors who authorise pursuits",
            "audit radio commentary during pursuits to check that it is complete",
        ),
        (
            "Pursuit recordings are now reviewed by {unit} within {n} working days.",
            "Control room supervisors completed refresher pursuit management training by {month} {year}.",
            "Driver permits are checked automatically when a pursuit is authorised.",
        ),
        (
            "The national driver training already covers these points, and the force will not add local training.",
        ),
        (
            ("Authorisation", "A pursuit may continue only while it is authorised by the control room supervisor."),
            ("Driver permits", "Only drivers trained and permitted for pursuits may take part in one."),
            ("Commentary", "The driver or passenger must give a continuous commentary throughout a pursuit."),
            ("Review", "Every pursuit must be reviewed after it ends and the learning shared."),
        ),
        "Police Driving",
    ),
    Theme(
        "complaints handling", "the handling of complaints",
        (
            "the handling of a complaint about the conduct of officers during a house search",
            "a complaint that was not recorded for {n} months after it was made",
            "the way a force told a complainant about the outcome of their complaint",
        ),
        (
            "the complaint was not recorded and the complainant received no contact for several weeks",
            "the complaint handler did not explain the right to request a review",
            "the outcome letter did not say what the force had done in response to the complaint",
            "the complaint was handled by an officer who worked on the same team as the officer complained about",
        ),
        (
            "review how complaints are recorded so that complainants are contacted promptly",
            "make sure outcome letters explain the right to request a review",
            "check that complaint handlers are independent of the officers complained about",
            "introduce regular updates for complainants while their complaint is handled",
        ),
        (
            "A daily triage meeting now records and allocates new complaints within two working days.",
            "Outcome letter templates were rewritten in {month} {year} and include the right to request a review.",
            "Complainants receive an update every {n} weeks while their complaint is open.",
        ),
        (
            "The force does not accept a fixed target for first contact but has set an internal expectation of prompt contact.",
        ),
        (
            ("Recording", "A complaint must be recorded as soon as it is received and the complainant contacted promptly."),
            ("Independence", "Complaint handlers must not work on the same team as the person complained about."),
            ("Updates", "Complainants must be kept updated at regular intervals while their complaint is handled."),
            ("Outcome", "The outcome letter must explain what was found, what was done and the right to a review."),
        ),
        "Complaints",
    ),
    Theme(
        "call handling", "call handling and the grading of calls",
        (
            "the handling of a call from a neighbour who was worried about the welfare of an elderly man",
            "the grading of a call reporting a woman screaming in a flat at {town}",
            "repeated calls from a man who said he was being followed",
        ),
        (
            "the call was graded for a scheduled appointment and officers did not attend for {n} days",
            "the call handler did not check previous calls from the same address",
            "the caller was not asked the questions set out in the force's risk assessment model",
            "the call was closed without anyone speaking to the person at risk",
        ),
        (
            "review its call grading guidance for concern for welfare calls about people living alone",
            "make sure call handlers check previous calls from the same address or number",
            "remind call handlers to use the force's risk assessment model on every call",
            "make sure no call about a person at risk is closed without contact being made",
        ),
        (
            "Concern for welfare calls about people living alone are now graded for an emergency response.",
            "The control room system shows previous calls from the same address automatically since {month} {year}.",
            "Call handlers are dip-sampled each month by {unit} for use of the risk assessment model.",
        ),
        (
            "The force's grading policy already covers these calls, and the call handler has received individual advice.",
        ),
        (
            ("Grading", "Calls must be graded on the risk to the person, using the risk assessment model."),
            ("Previous calls", "Call handlers must check previous calls from the same address or number."),
            ("Closure", "A call about a person at risk must not be closed until contact has been made."),
            ("Supervision", "Control room supervisors must review a sample of graded calls each shift."),
        ),
        "Call Handling",
    ),
    Theme(
        "abuse of position", "abuse of position and professional boundaries",
        (
            "an officer who began a relationship with a victim of domestic abuse he met during an investigation",
            "a police community support officer who sent personal messages to a vulnerable woman",
            "the supervision of an officer about whom colleagues had raised concerns on {n} occasions",
        ),
        (
            "the officer used information from police systems to contact the victim privately",
            "concerns raised by colleagues were not passed to the counter-corruption unit",
            "the officer's supervisor did not record the concerns or act on them",
            "the force's audit of system use did not flag repeated searches of the same person",
        ),
        (
            "remind officers and staff that pursuing a relationship with a victim met through work is an abuse of position",
            "make sure concerns about abuse of position are passed to the counter-corruption unit",
            "audit the use of police systems for repeated searches of the same person",
            "give supervisors training on recognising the warning signs of abuse of position",
        ),
        (
            "The counter-corruption unit now receives every concern about abuse of position within {n} days.",
            "Supervisors completed training on the warning signs of abuse of position by {month} {year}.",
            "An automated audit of system searches is reviewed weekly by {unit}.",
        ),
        (
            "The force already audits system use and will keep its current arrangements under review.",
        ),
        (
            ("Professional boundaries", "Officers and staff must not pursue a personal relationship with anyone they meet through their work."),
            ("Reporting concerns", "Concerns about a colleague's contact with a victim must be reported to the counter-corruption unit."),
            ("System use", "Police systems may be used only for a policing purpose, and searches are audited."),
            ("Supervision", "Supervisors must record and act on any concern raised about a member of their team."),
        ),
        "Professional Boundaries",
    ),
)
# Sentences any theme's text may use to reach its length: consequences, follow-up, policy.
CONSEQUENCES = (
    "The investigation found that supervisors had not noticed the problem during routine checks.",
    "As a result, there was no independent record of what happened.",
    "The family of the person involved raised concerns about how long it took to get answers.",
    "Local guidance at {town} did not reflect the force's own policy.",
    "The same issue had been identified in an earlier local review but had not been addressed.",
    "{role} told investigators that they had not been aware of the requirement.",
    "The investigation did not find an indication that any person had behaved in a manner justifying disciplinary proceedings.",
    "The officers involved gave accounts that differed on important points.",
    "Nobody involved had been told that the guidance had changed the previous year.",
    "The matter came to light only when the family made a complaint {n} weeks later.",
    "There was no record of any supervisor reviewing the decisions that were made.",
    "The force referred the matter to the IOPC, which decided to investigate independently.",
)
FOLLOW_UPS = (
    "Progress is monitored by {unit} and reported to the chief officer group every quarter.",
    "The change was communicated to all staff through the weekly bulletin in {month} {year}.",
    "An audit will be carried out after {n} months to check that the change has been embedded.",
    "The learning from this case has been shared with neighbouring forces.",
    "{unit} will provide a further update to the IOPC once the work is complete.",
    "The new arrangements were tested at {town} before being introduced across the force.",
    "A review of {n} recent cases found that the new process was being followed.",
    "Staff associations were consulted on the changes before they were introduced.",
)
REFUSAL_NOTES = (
    "The force will keep the matter under review and will tell the IOPC of any change.",
    "The reasons were explained to the IOPC in writing in {month} {year}.",
    "The learning from this case has been shared with neighbouring forces.",
    "{unit} will review the position again in {n} months.",
)
POLICY_FILLERS = (
    "Supervisors are responsible for checking that this is done and for recording any exception.",
    "Any departure from this requirement must be authorised by an inspector and recorded with the reason.",
    "Compliance is audited by {unit} and reported to the chief officer group.",
    "This section applies to police officers, special constables and police staff alike.",
    "Failure to follow this requirement may be dealt with as a matter of performance or conduct.",
    "Questions about this section should be raised with {unit}.",
    "This section was revised after learning identified by an IOPC investigation.",
)
GENERIC_SECTIONS = (
    ("Purpose", "This document sets out what {force} expects of officers and staff on {topic}."),
    ("Scope", "This document applies to everyone working for {force}, including volunteers and contractors."),
    ("Responsibilities", "Every officer and member of staff is responsible for knowing and following this document."),
    ("Monitoring", "{unit} monitors compliance with this document and reports to the chief officer group each year."),
    ("Equality", "The procedure was assessed for its effect on people with protected characteristics."),
    ("Review", "This document is reviewed every two years, or sooner when the law or national guidance changes."),
)


@dataclass(frozen=True)
class GeneratedCorpus:
    folder: Path
    files: int  # documents, not counting sidecars
    passages: int  # what the real loader and chunker make of them
    questions: tuple[str, ...]  # one about each document, in file order


@dataclass(frozen=True)
class _Written:
    name: str
    text: str
    passages: int
    question: str
    sidecar: str = ""


def generate(folder: Path, passages: int, seed: int) -> GeneratedCorpus:
    """Write about `passages` passages of fictional documents under `folder` (created)."""
    rng = random.Random(seed)
    remaining, number, part, in_part = passages, 0, 0, 0
    questions: list[str] = []
    while remaining > 0:
        # A page needs three passages: its summary, a recommendation and the response.
        as_page = remaining >= 3 and rng.random() < PAGE_SHARE
        written = _page(rng, number, remaining) if as_page else _document(rng, number, remaining)
        files = 2 if written.sidecar else 1
        if in_part + files > FILES_PER_FOLDER:
            part, in_part = part + 1, 0
        _write(folder / f"part-{part:03d}", written)
        in_part += files
        remaining -= written.passages
        questions.append(written.question)
        number += 1
    return GeneratedCorpus(folder, number, passages - remaining, tuple(questions))


def is_generated(doc_id: str) -> bool:
    """Whether a document id is one this module wrote."""
    return doc_id.startswith(PREFIX)


def _write(folder: Path, written: _Written) -> None:
    """Write a document and its sidecar, if it has one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / written.name).write_text(written.text, encoding="utf-8", newline="\n")
    if written.sidecar:
        sidecar = written.name.rsplit(".", 1)[0] + ".meta.yaml"
        (folder / sidecar).write_text(written.sidecar, encoding="utf-8", newline="\n")


def _fills(rng: random.Random, force: str, theme: Theme, year: int) -> dict[str, str]:
    return {
        "force": force,
        "town": rng.choice(TOWNS),
        "role": rng.choice(ROLES).capitalize(),
        "unit": rng.choice(UNITS),
        "n": rng.choice(NUMBERS),
        "month": rng.choice(MONTHS),
        "year": str(year + rng.randint(0, 1)),
        "topic": theme.topic,
    }


def _fill(
    rng: random.Random, first: str, pool: tuple[str, ...], fills: dict[str, str], used: int = 0
) -> list[str]:
    """`first`, then sentences drawn from `pool` until the section (with `used` words already
    in it) reaches LOW words, never passing HIGH."""
    sentences = [first.format(**fills)]
    for candidate in rng.sample(pool, len(pool)):
        if used + _words(sentences) >= LOW:
            break
        sentence = _capitalised(candidate.format(**fills))
        if sentence not in sentences and used + _words(sentences) + len(sentence.split()) <= HIGH:
            sentences.append(sentence)
    return sentences


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _page(rng: random.Random, number: int, budget: int) -> _Written:
    """An IOPC recommendations page of 1 + 2k passages (1 + k while awaiting a response)."""
    force, theme = rng.choice(FORCES), rng.choice(THEMES)
    month, year = rng.choice(MONTHS), rng.randint(2015, 2025)
    awaiting = rng.random() < 0.08
    per_recommendation = 1 if awaiting else 2
    count = min(rng.randint(1, 4), (budget - 1) // per_recommendation)
    bare = rng.random() < 0.1  # "Accepted" alone, as some pages answer
    fills = _fills(rng, force, theme, year)
    plural = "s" if count > 1 else ""
    lines = [f"Recommendation{plural} - {force}, {month} {year}"]
    intro = f"The following learning was identified from an investigation into {rng.choice(theme.subjects)}."
    lines.append(" ".join(_fill(rng, intro, CONSEQUENCES, fills)))
    lines.append("IOPC reference")
    if rng.random() < 0.85:
        lines.append(f"{year - rng.randint(1, 3)}/{rng.randint(1000, 299999):06d}")
    lines.append(f"Recommendation{plural}")
    for action, found in zip(
        rng.sample(theme.actions, count), rng.sample(theme.findings, count), strict=True
    ):
        instrument = rng.choice(INSTRUMENTS) if rng.random() < 0.15 else ""
        recommends = f"The IOPC recommends that {force} {action}{instrument}."
        finding = f"This follows an IOPC investigation where {found}."
        lines.append(recommends)
        lines.append(" ".join(_fill(rng, finding, CONSEQUENCES, fills, len(recommends.split()))))
        lines.append("Do you accept the recommendation?")
        if not awaiting:
            lines.extend(_response(rng, theme, fills, bare))
    sidecar = (
        "# Metadata of a generated page (fictional; scale benchmark).\n"
        f"url: https://{_slug(force)}.example/iopc/{number}\n"
        f"status: {'awaiting response' if awaiting else 'response published'}\n"
        f"themes: [{theme.name}]\n"
    )
    question = rng.choice(
        (
            f"What did the IOPC recommend to {force} in {month} {year}?",
            f"Did {force} accept the IOPC recommendation about {theme.topic}?",
            f"What learning did the IOPC identify for {force} about {theme.topic}?",
            f"Which IOPC recommendations concern {theme.topic}?",
        )
    )
    name = f"{PREFIX}{number:06d}-{_slug(force)}-{month.lower()}-{year}.txt"
    return _Written(name, "\n".join(lines) + "\n", 1 + count * per_recommendation, question, sidecar)


def _response(rng: random.Random, theme: Theme, fills: dict[str, str], bare: bool) -> list[str]:
    """The answer, its label and the force's response paragraphs, as the page lays them out."""
    answer = rng.choices(("Yes", "Partially", "No"), weights=(8, 1, 1))[0]
    if answer == "No":
        head = ["No", "Reason for not accepting:"]
        body = _fill(rng, rng.choice(theme.refusals), REFUSAL_NOTES, fills)
    else:
        head = ["Accepted"] if bare else [answer, "Accepted action:"]
        body = _fill(rng, rng.choice(theme.responses), theme.responses + FOLLOW_UPS, fills)
    return head + body


def _document(rng: random.Random, number: int, budget: int) -> _Written:
    """A force procedure (`para N.M` sections) or local regulations (`reg N` sections)."""
    force, theme = rng.choice(FORCES), rng.choice(THEMES)
    year = rng.randint(2012, 2025)
    fills = _fills(rng, force, theme, year)
    sections = min(rng.randint(4, len(GENERIC_SECTIONS) + len(theme.policy)), budget)
    regulations = rng.random() < 0.3
    core = force.rsplit(" ", 1)[0]
    if regulations:
        title = f"The Police {theme.document} ({core}) Regulations {year}"
        kind, publisher = "legislation", f"Fictional local instrument for {core}"
    else:
        title = f"{force} {theme.document} Procedure ({year})"
        kind, publisher = "guidance", force
    doc_id = f"{PREFIX}{number:06d}-{_slug(title)}"
    url = f"https://{_slug(force)}.example/documents/{doc_id}"
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {title}",
        f"kind: {kind}",
        f"publisher: {publisher}",
        f"year: {year}",
        f"url: {url}",
        f"status: {rng.choice(('in force', 'in force', 'superseded', 'under review'))}",
        "note: Fictional document generated for the scale benchmark.",
        "---",
        f"# {title}",
    ]
    chosen = rng.sample(GENERIC_SECTIONS + theme.policy, sections)
    policy = tuple(sentence for _, sentence in theme.policy) + POLICY_FILLERS
    headings = []
    for index, (heading, first) in enumerate(chosen, start=1):
        label = f"reg {index}" if regulations else f"para {1 + (index - 1) // 3}.{1 + (index - 1) % 3}"
        headings.append(heading)
        lines += ["", f"## {label} \u2014 {heading}"]
        if rng.random() < 0.3:
            lines.append(f"url: {url}#{_slug(label)}")
        lines += ["", " ".join(_fill(rng, first, policy, fills))]
    named = f"the {title.removeprefix('The ')}"
    question = rng.choice(
        (
            f"What does {named} say about {rng.choice(headings).lower()}?",
            f"What does {force} require of officers on {theme.topic}?",
        )
    )
    return _Written(f"{doc_id}.md", "\n".join(lines) + "\n", sections, question)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
