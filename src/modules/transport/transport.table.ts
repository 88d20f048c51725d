/** Tables of the transport module (portable column conventions: see src/db/schema.ts). */

export interface TransportLegTable {
  id: string;
  crisis_id: string;
  kind: 'flight' | 'bus' | 'ship';
  name: string;
  origin: string;
  destination: string;
  assembly_point: string;
  report_at: string | null;
  departure_at: string;
  /** Capacity by kind: ordinary seats, infants on a lap, stretcher / medical places. */
  seats: number;
  lap_places: number;
  stretcher_places: number;
  operator: string;
  /** Cost of one seat in the leg's currency, in minor units (cents). */
  cost_per_seat_minor: number;
  currency: string;
  status: 'planned' | 'confirmed' | 'boarding' | 'departed' | 'arrived' | 'cancelled';
  next_leg_id: string | null;
  crossing_point_id: string | null;
  /** The approved-list day a passenger must be on when the leg goes through a crossing. */
  crossing_list_date: string | null;
  /** JSON array of zone ids from which people can reach the assembly point. */
  reachable_zone_ids: string;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SeatAssignmentTable {
  id: string;
  crisis_id: string;
  leg_id: string;
  person_id: string;
  household_id: string;
  place_kind: 'seat' | 'lap' | 'stretcher';
  status:
    | 'offered'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'checked_in'
    | 'boarded'
    | 'no_show'
    | 'refused';
  /** Short code printed on the confirmation, typed or scanned at check-in ("S-7K3QXA"). */
  code: string;
  offer_deadline: string;
  reason: string | null;
  responded_at: string | null;
  checked_in_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SeatAssignmentEventTable {
  id: string;
  assignment_id: string;
  at: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor_id: string | null;
  actor_label: string;
}

export interface ManifestTable {
  id: string;
  crisis_id: string;
  leg_id: string;
  recipient_profile: 'airline' | 'crossing_authority' | 'receiving_country';
  recipient: string;
  format: 'csv' | 'pdf';
  row_count: number;
  sha256: string;
  issued_by: string | null;
  issued_at: string;
}

export interface TransportTables {
  transport_legs: TransportLegTable;
  seat_assignments: SeatAssignmentTable;
  seat_assignment_events: SeatAssignmentEventTable;
  manifests: ManifestTable;
}
