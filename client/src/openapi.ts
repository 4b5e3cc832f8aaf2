// Written by `npm run openapi` from the OpenAPI document (tools/client-types.ts): do not edit.
/* eslint-disable */

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: {
      path: string;
      message: string;
    }[];
  };
}

export interface AdminCancelBookingPath {
  id: string;
}

export interface AdminCancelBookingBody {
  refundAmount: number;
  reason: string;
}

export interface AdminCancelBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface AdminListHostCancellationsQuery {
  cursor?: string;
  limit?: number;
  hostId?: string;
}

export interface AdminListHostCancellations200 {
  cancellations: {
    bookingId: string;
    hostId: string;
    listingId: string;
    checkIn: string;
    checkOut: string;
    cancelledAt: string;
    reason: string | null;
    hostTotal: number;
  }[];
  nextCursor: string | null;
}

export interface AdminListIdentityDocumentsQuery {
  status?: 'pending' | 'approved' | 'rejected';
  limit?: number;
  offset?: number;
}

export interface AdminListIdentityDocuments200 {
  documents: {
    id: string;
    kind: 'passport' | 'national_id' | 'drivers_license' | 'voters_card';
    status: 'pending' | 'approved' | 'rejected';
    reason: string | null;
    createdAt: string;
    reviewedAt: string | null;
    url: string;
    urlExpiresInSeconds: number;
    host: {
      id: string;
      name: string | null;
    };
  }[];
  limit: number;
  offset: number;
}

export interface AdminApproveIdentityDocumentPath {
  id: string;
}

export interface AdminApproveIdentityDocumentBody {
  reason?: string;
}

export interface AdminApproveIdentityDocument200 {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  reviewedAt: string | null;
}

export interface AdminRejectIdentityDocumentPath {
  id: string;
}

export interface AdminRejectIdentityDocumentBody {
  reason?: string;
}

export interface AdminRejectIdentityDocument200 {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  reviewedAt: string | null;
}

export interface AdminSuspendListingPath {
  id: string;
}

export interface AdminSuspendListing200 {
  id: string;
  status: 'draft' | 'published' | 'suspended';
}

export interface AdminUnsuspendListingPath {
  id: string;
}

export interface AdminUnsuspendListing200 {
  id: string;
  status: 'draft' | 'published' | 'suspended';
}

export interface AdminListPayoutsQuery {
  status?: 'scheduled' | 'processing' | 'paid' | 'failed' | 'on_hold' | 'cancelled';
  cursor?: string;
  limit?: number;
}

export interface AdminListPayouts200 {
  payouts: {
    id: string;
    bookingId: string | null;
    amount: number;
    currency: string;
    status: 'scheduled' | 'processing' | 'paid' | 'failed' | 'on_hold' | 'cancelled';
    dueAt: string;
    paidAt: string | null;
    hostId: string;
    attempts: number;
    lastError: string | null;
  }[];
  nextCursor: string | null;
}

export interface AdminRetryPayoutPath {
  id: string;
}

export interface AdminRetryPayout202 {
  id: string;
  status: 'scheduled';
}

export interface AuthLogoutBody {
  refreshToken: string;
  pushToken?: string;
}

export interface AuthRequestOtpBody {
  phone?: string;
  email?: string;
  role: 'user' | 'host' | 'admin';
}

export interface AuthRequestOtp202 {
  expiresInSeconds: number;
}

export interface AuthVerifyOtpBody {
  phone?: string;
  email?: string;
  role: 'user' | 'host' | 'admin';
  code: string;
}

export interface AuthVerifyOtp200 {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  principal: {
    id: string;
    role: 'user' | 'host' | 'admin';
  };
}

export interface AuthRefreshTokenBody {
  refreshToken: string;
}

export interface AuthRefreshToken200 {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  principal: {
    id: string;
    role: 'user' | 'host' | 'admin';
  };
}

export interface BanksListBanks200 {
  banks: {
    code: string;
    name: string;
  }[];
}

export interface BookingsListBookingsQuery {
  cursor?: string;
  limit?: number;
  status?:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
}

export interface BookingsListBookings200 {
  bookings: {
    id: string;
    status:
      | 'pending_payment'
      | 'requested'
      | 'confirmed'
      | 'declined'
      | 'expired'
      | 'cancelled'
      | 'completed';
    listingId: string;
    checkIn: string;
    checkOut: string;
    guests: number;
    total: number;
    currency: string;
    createdAt: string;
  }[];
  nextCursor: string | null;
}

export interface BookingsCreateBookingHeader {
  'Idempotency-Key'?: string;
}

export interface BookingsCreateBookingBody {
  listingId: string;
  checkIn: string;
  checkOut: string;
  guests?: number;
  message?: string;
  email?: string;
}

export interface BookingsCreateBooking201 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface BookingsGetBookingPath {
  id: string;
}

export interface BookingsGetBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface BookingsCancelBookingPath {
  id: string;
}

export interface BookingsCancelBookingBody {
  reason?: string;
}

export interface BookingsCancelBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface BookingsVerifyBookingPaymentPath {
  id: string;
}

export interface BookingsVerifyBookingPayment200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface BookingsReviewBookingPath {
  id: string;
}

export interface BookingsReviewBookingBody {
  rating: number;
  comment?: string;
}

export interface BookingsReviewBooking201 {
  id: string;
  bookingId: string;
  listingId: string;
  author: 'guest' | 'host';
  rating: number;
  comment: string;
  published: boolean;
  publishedAt: string | null;
  createdAt: string;
}

export interface ConversationsListConversationsQuery {
  cursor?: string;
  limit?: number;
}

export interface ConversationsListConversations200 {
  conversations: {
    id: string;
    bookingId: string | null;
    otherParty: {
      role: 'user' | 'host';
      id: string;
      name: string | null;
      avatarUrl: string | null;
    };
    listing: {
      id: string;
      title: string;
      city: string;
      pricePerNight: number;
      currency: string;
      maxGuests: number;
      publishedAt: string | null;
      coverPhotoUrl: string | null;
      photoUrls: string[];
      rating: number | null;
      reviewCount: number;
      host: {
        id: string;
        name: string | null;
      };
    } | null;
    lastMessage: {
      body: string;
      senderRole: 'user' | 'host' | 'admin';
      createdAt: string;
    } | null;
    unreadCount: number;
    lastReadAt: string | null;
    createdAt: string;
  }[];
  nextCursor: string | null;
}

export interface ConversationsCreateConversationBody {
  listingId?: string;
  bookingId?: string;
  message: string;
  clientId?: string;
}

export interface ConversationsCreateConversation200 {
  conversation: {
    id: string;
    bookingId: string | null;
    otherParty: {
      role: 'user' | 'host';
      id: string;
      name: string | null;
      avatarUrl: string | null;
    };
    listing: {
      id: string;
      title: string;
      city: string;
      pricePerNight: number;
      currency: string;
      maxGuests: number;
      publishedAt: string | null;
      coverPhotoUrl: string | null;
      photoUrls: string[];
      rating: number | null;
      reviewCount: number;
      host: {
        id: string;
        name: string | null;
      };
    } | null;
    lastMessage: {
      body: string;
      senderRole: 'user' | 'host' | 'admin';
      createdAt: string;
    } | null;
    unreadCount: number;
    lastReadAt: string | null;
    createdAt: string;
  };
  message: {
    id: string;
    conversationId: string;
    senderRole: 'user' | 'host' | 'admin';
    senderId: string;
    body: string;
    clientId: string | null;
    createdAt: string;
  };
}

export interface ConversationsCreateConversation201 {
  conversation: {
    id: string;
    bookingId: string | null;
    otherParty: {
      role: 'user' | 'host';
      id: string;
      name: string | null;
      avatarUrl: string | null;
    };
    listing: {
      id: string;
      title: string;
      city: string;
      pricePerNight: number;
      currency: string;
      maxGuests: number;
      publishedAt: string | null;
      coverPhotoUrl: string | null;
      photoUrls: string[];
      rating: number | null;
      reviewCount: number;
      host: {
        id: string;
        name: string | null;
      };
    } | null;
    lastMessage: {
      body: string;
      senderRole: 'user' | 'host' | 'admin';
      createdAt: string;
    } | null;
    unreadCount: number;
    lastReadAt: string | null;
    createdAt: string;
  };
  message: {
    id: string;
    conversationId: string;
    senderRole: 'user' | 'host' | 'admin';
    senderId: string;
    body: string;
    clientId: string | null;
    createdAt: string;
  };
}

export interface ConversationsListMessagesQuery {
  before?: string;
  limit?: number;
}

export interface ConversationsListMessagesPath {
  id: string;
}

export interface ConversationsListMessages200 {
  messages: {
    id: string;
    conversationId: string;
    senderRole: 'user' | 'host' | 'admin';
    senderId: string;
    body: string;
    clientId: string | null;
    createdAt: string;
  }[];
  nextCursor: string | null;
}

export interface ConversationsPostMessagePath {
  id: string;
}

export interface ConversationsPostMessageBody {
  body: string;
  clientId?: string;
}

export interface ConversationsPostMessage200 {
  message: {
    id: string;
    conversationId: string;
    senderRole: 'user' | 'host' | 'admin';
    senderId: string;
    body: string;
    clientId: string | null;
    createdAt: string;
  };
}

export interface ConversationsPostMessage201 {
  message: {
    id: string;
    conversationId: string;
    senderRole: 'user' | 'host' | 'admin';
    senderId: string;
    body: string;
    clientId: string | null;
    createdAt: string;
  };
}

export interface ConversationsReadConversationPath {
  id: string;
}

export interface ConversationsReadConversation200 {
  conversationId: string;
  role: 'user' | 'host' | 'admin';
  lastReadAt: string;
}

export interface HealthGetHealthQuery {
  /**
   * deep: also a select 1 and a cache PING; shallow: only that the API and its function answer (db and cache "skipped"), so that an outside check every few seconds lets the database suspend
   */
  depth?: 'deep' | 'shallow';
}

export interface HealthGetHealth200 {
  status: 'ok' | 'degraded';
  db: 'ok' | 'error' | 'skipped';
  dbError?: string;
  cache: 'ok' | 'error' | 'skipped';
  memory: {
    rss: number;
    heapUsed: number;
    heapTotal: number;
  };
  uptime: number;
  timestamp: string;
  version: string;
}

export interface HealthGetHealth503 {
  status: 'ok' | 'degraded';
  db: 'ok' | 'error' | 'skipped';
  dbError?: string;
  cache: 'ok' | 'error' | 'skipped';
  memory: {
    rss: number;
    heapUsed: number;
    heapTotal: number;
  };
  uptime: number;
  timestamp: string;
  version: string;
}

export interface HomeFeedGetHomeFeed200 {
  sections: {
    key: string;
    title: string;
    listings: {
      id: string;
      title: string;
      city: string;
      pricePerNight: number;
      currency: string;
      maxGuests: number;
      publishedAt: string | null;
      coverPhotoUrl: string | null;
      photoUrls: string[];
      rating: number | null;
      reviewCount: number;
      host: {
        id: string;
        name: string | null;
      };
    }[];
  }[];
}

export interface HostListHostBookingsQuery {
  cursor?: string;
  limit?: number;
  status?:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId?: string;
}

export interface HostListHostBookings200 {
  bookings: {
    id: string;
    status:
      | 'pending_payment'
      | 'requested'
      | 'confirmed'
      | 'declined'
      | 'expired'
      | 'cancelled'
      | 'completed';
    listingId: string;
    checkIn: string;
    checkOut: string;
    guests: number;
    total: number;
    currency: string;
    createdAt: string;
  }[];
  nextCursor: string | null;
}

export interface HostGetHostBookingPath {
  id: string;
}

export interface HostGetHostBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface HostAcceptBookingPath {
  id: string;
}

export interface HostAcceptBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface HostCancelBookingPath {
  id: string;
}

export interface HostCancelBookingBody {
  reason: string;
}

export interface HostCancelBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface HostDeclineBookingPath {
  id: string;
}

export interface HostDeclineBookingBody {
  reason?: string;
}

export interface HostDeclineBooking200 {
  id: string;
  status:
    | 'pending_payment'
    | 'requested'
    | 'confirmed'
    | 'declined'
    | 'expired'
    | 'cancelled'
    | 'completed';
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  message: string | null;
  expiresAt: string | null;
  confirmedAt: string | null;
  statusReason: string | null;
  createdAt: string;
  listing: {
    id: string;
    title: string;
    city: string;
    address: string | null;
  };
  host?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  guest?: {
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  payment: {
    provider: 'paystack';
    reference: string;
    status: string;
    authorizationUrl: string | null;
    accessCode: string | null;
  } | null;
  refund: {
    amount: number;
    status: 'pending' | 'processing' | 'processed' | 'failed' | 'none';
  } | null;
  cancelledBy: ('guest' | 'host' | 'admin') | null;
  cancelledAt: string | null;
}

export interface HostReviewGuestPath {
  id: string;
}

export interface HostReviewGuestBody {
  rating: number;
  comment?: string;
}

export interface HostReviewGuest201 {
  id: string;
  bookingId: string;
  listingId: string;
  author: 'guest' | 'host';
  rating: number;
  comment: string;
  published: boolean;
  publishedAt: string | null;
  createdAt: string;
}

export interface HostGetEarnings200 {
  currency: string;
  pending: number;
  scheduled: number;
  onHold: number;
  paid: number;
  payouts: {
    bookingId: string | null;
    amount: number;
    currency: string;
    status: 'scheduled' | 'processing' | 'paid' | 'failed' | 'on_hold' | 'cancelled';
    dueAt: string;
    paidAt: string | null;
  }[];
}

export interface HostListDocuments200 {
  documents: {
    id: string;
    kind: 'passport' | 'national_id' | 'drivers_license' | 'voters_card';
    status: 'pending' | 'approved' | 'rejected';
    reason: string | null;
    createdAt: string;
    reviewedAt: string | null;
    url: string;
    urlExpiresInSeconds: number;
  }[];
}

export interface HostSubmitDocumentBody {
  kind: 'passport' | 'national_id' | 'drivers_license' | 'voters_card';
  key: string;
}

export interface HostSubmitDocument201 {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
}

export interface HostCreateDocumentUploadBody {
  kind: 'passport' | 'national_id' | 'drivers_license' | 'voters_card';
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  sizeBytes: number;
}

export interface HostCreateDocumentUpload201 {
  uploadUrl: string;
  fields: {
    [k: string]: string | undefined;
  };
  key: string;
  expiresInSeconds: number;
}

export interface HostGetPayoutAccount200 {
  bankCode: string;
  bankName: string;
  accountName: string;
  accountNumberLast4: string;
}

export interface HostSetPayoutAccountBody {
  bankCode: string;
  accountNumber: string;
}

export interface HostSetPayoutAccount200 {
  bankCode: string;
  bankName: string;
  accountName: string;
  accountNumberLast4: string;
}

export interface ListingsListHostListingsQuery {
  limit?: number;
  offset?: number;
}

export interface ListingsListHostListings200 {
  listings: {
    id: string;
    title: string;
    city: string;
    pricePerNight: number;
    currency: string;
    maxGuests: number;
    status: 'draft' | 'published' | 'suspended';
    publishedAt: string | null;
    createdAt: string;
  }[];
  total: number;
  limit: number;
  offset: number;
  hasMore: boolean;
}

export interface ListingsCreateListingBody {
  title: string;
  description?: string;
  city: string;
  address?: string;
  pricePerNight: number;
  currency?: string;
  maxGuests: number;
  /**
   * @maxItems 50
   */
  amenities?: string[];
  instantBook?: boolean;
  cancellationPolicy?: 'flexible' | 'moderate' | 'firm';
  cleaningFee?: number;
  minNights?: number;
  maxNights?: number;
}

export interface ListingsCreateListing201 {
  id: string;
  title: string;
  city: string;
  pricePerNight: number;
  currency: string;
  maxGuests: number;
  hostId: string;
  status: 'draft' | 'published' | 'suspended';
  description: string;
  address: string;
  amenities: string[];
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  photos: {
    id: string;
    url: string;
    position: number;
  }[];
}

export interface ListingsGetHostListingPath {
  id: string;
}

export interface ListingsGetHostListing200 {
  id: string;
  title: string;
  city: string;
  pricePerNight: number;
  currency: string;
  maxGuests: number;
  hostId: string;
  status: 'draft' | 'published' | 'suspended';
  description: string;
  address: string;
  amenities: string[];
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  photos: {
    id: string;
    url: string;
    position: number;
  }[];
}

export interface ListingsDeleteListingPath {
  id: string;
}

export interface ListingsUpdateListingPath {
  id: string;
}

export interface ListingsUpdateListingBody {
  title?: string;
  description?: string;
  city?: string;
  address?: string;
  pricePerNight?: number;
  currency?: string;
  maxGuests?: number;
  /**
   * @maxItems 50
   */
  amenities?: string[];
  instantBook?: boolean;
  cancellationPolicy?: 'flexible' | 'moderate' | 'firm';
  cleaningFee?: number;
  minNights?: number;
  maxNights?: number;
}

export interface ListingsUpdateListing200 {
  id: string;
  title: string;
  city: string;
  pricePerNight: number;
  currency: string;
  maxGuests: number;
  hostId: string;
  status: 'draft' | 'published' | 'suspended';
  description: string;
  address: string;
  amenities: string[];
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  photos: {
    id: string;
    url: string;
    position: number;
  }[];
}

export interface ListingsCreateBlockPath {
  id: string;
}

export interface ListingsCreateBlockBody {
  from: string;
  to: string;
  note?: string;
}

export interface ListingsCreateBlock201 {
  id: string;
  from: string;
  to: string;
  note: string | null;
  createdAt: string;
}

export interface ListingsDeleteBlockPath {
  id: string;
  blockId: string;
}

export interface ListingsGetCalendarQuery {
  from?: string;
  to?: string;
}

export interface ListingsGetCalendarPath {
  id: string;
}

export interface ListingsGetCalendar200 {
  listingId: string;
  from: string;
  to: string;
  bookings: {
    id: string;
    status:
      | 'pending_payment'
      | 'requested'
      | 'confirmed'
      | 'declined'
      | 'expired'
      | 'cancelled'
      | 'completed';
    checkIn: string;
    checkOut: string;
    guests: number;
    guestName: string | null;
  }[];
  blocks: {
    id: string;
    from: string;
    to: string;
    note: string | null;
    createdAt: string;
  }[];
}

export interface ListingsDraftListingPath {
  id: string;
}

export interface ListingsDraftListing200 {
  id: string;
  title: string;
  city: string;
  pricePerNight: number;
  currency: string;
  maxGuests: number;
  hostId: string;
  status: 'draft' | 'published' | 'suspended';
  description: string;
  address: string;
  amenities: string[];
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  photos: {
    id: string;
    url: string;
    position: number;
  }[];
}

export interface ListingsAddPhotoPath {
  id: string;
}

export interface ListingsAddPhotoBody {
  key: string;
}

export interface ListingsAddPhoto201 {
  id: string;
  url: string;
}

export interface ListingsDeletePhotoPath {
  id: string;
  photoId: string;
}

export interface ListingsCreatePhotoUploadPath {
  id: string;
}

export interface ListingsCreatePhotoUploadBody {
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  sizeBytes: number;
}

export interface ListingsCreatePhotoUpload201 {
  uploadUrl: string;
  fields: {
    [k: string]: string | undefined;
  };
  key: string;
  expiresInSeconds: number;
}

export interface ListingsPublishListingPath {
  id: string;
}

export interface ListingsPublishListing200 {
  id: string;
  title: string;
  city: string;
  pricePerNight: number;
  currency: string;
  maxGuests: number;
  hostId: string;
  status: 'draft' | 'published' | 'suspended';
  description: string;
  address: string;
  amenities: string[];
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  photos: {
    id: string;
    url: string;
    position: number;
  }[];
}

export interface ListingsListPublicListingsQuery {
  limit?: number;
  offset?: number;
  cursor?: string;
  city?: string;
  minPrice?: number;
  maxPrice?: number;
  guests?: number;
  checkIn?: string;
  checkOut?: string;
}

export interface ListingsListPublicListings200 {
  listings: {
    id: string;
    title: string;
    city: string;
    pricePerNight: number;
    currency: string;
    maxGuests: number;
    publishedAt: string | null;
    coverPhotoUrl: string | null;
    photoUrls: string[];
    rating: number | null;
    reviewCount: number;
    host: {
      id: string;
      name: string | null;
    };
  }[];
  total?: number;
  totalIsCapped?: true;
  limit: number;
  offset?: number;
  hasMore: boolean;
  nextCursor: string | null;
}

export interface ListingsGetPublicListingPath {
  id: string;
}

export interface ListingsGetPublicListing200 {
  id: string;
  title: string;
  city: string;
  pricePerNight: number;
  currency: string;
  maxGuests: number;
  description: string;
  amenities: string[];
  instantBook: boolean;
  cancellationPolicy: 'flexible' | 'moderate' | 'firm';
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  publishedAt: string | null;
  coverPhotoUrl: string | null;
  photos: {
    url: string;
  }[];
  rating: number | null;
  reviewCount: number;
  host: {
    id: string;
    name: string | null;
    avatarUrl: string | null;
    since: string;
  };
}

export interface ListingsGetListingAvailabilityQuery {
  from?: string;
  to?: string;
}

export interface ListingsGetListingAvailabilityPath {
  id: string;
}

export interface ListingsGetListingAvailability200 {
  unavailable: {
    from: string;
    to: string;
  }[];
}

export interface ListingsGetListingQuoteQuery {
  checkIn: string;
  checkOut: string;
  guests?: number;
}

export interface ListingsGetListingQuotePath {
  id: string;
}

export interface ListingsGetListingQuote200 {
  listingId: string;
  checkIn: string;
  checkOut: string;
  nights: number;
  guests: number;
  currency: string;
  nightlyPrice: number;
  subtotal: number;
  cleaningFee: number;
  serviceFee: number;
  total: number;
  hostFee: number;
  hostPayout: number;
  available: boolean;
}

export interface ListingsListListingReviewsQuery {
  cursor?: string;
  limit?: number;
}

export interface ListingsListListingReviewsPath {
  id: string;
}

export interface ListingsListListingReviews200 {
  reviews: {
    id: string;
    rating: number;
    comment: string;
    publishedAt: string;
    guest: {
      name: string | null;
    };
  }[];
  nextCursor: string | null;
}

export interface MeGetMe200 {
  id: string;
  role: 'user' | 'host' | 'admin';
  name: string | null;
  phone: string | null;
  email: string | null;
  avatarUrl: string | null;
  createdAt: string;
}

export interface MeUpdateMeBody {
  name?: string;
  avatarKey?: string;
}

export interface MeUpdateMe200 {
  id: string;
  role: 'user' | 'host' | 'admin';
  name: string | null;
  phone: string | null;
  email: string | null;
  avatarUrl: string | null;
  createdAt: string;
}

export interface MeCreateAvatarUploadBody {
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  sizeBytes: number;
}

export interface MeCreateAvatarUpload201 {
  uploadUrl: string;
  fields: {
    [k: string]: string | undefined;
  };
  key: string;
  expiresInSeconds: number;
}

export interface MeRegisterPushTokenBody {
  token: string;
  platform: 'ios' | 'android';
}

export interface WishlistListWishlist200 {
  listings: {
    id: string;
    title: string;
    city: string;
    pricePerNight: number;
    currency: string;
    maxGuests: number;
    publishedAt: string | null;
    coverPhotoUrl: string | null;
    photoUrls: string[];
    rating: number | null;
    reviewCount: number;
    host: {
      id: string;
      name: string | null;
    };
  }[];
}

export interface WishlistAddToWishlistPath {
  listingId: string;
}

export interface WishlistRemoveFromWishlistPath {
  listingId: string;
}

export type ChatClientFrame =
  | {
      action: 'markRead';
      conversationId: string;
    }
  | {
      action: 'sendMessage';
      conversationId: string;
      body: string;
      clientId: string;
    }
  | {
      action: 'typing';
      conversationId: string;
    };

export type ChatServerFrame =
  | {
      type: 'message';
      message: {
        id: string;
        conversationId: string;
        senderRole: 'user' | 'host' | 'admin';
        senderId: string;
        body: string;
        clientId: string | null;
        createdAt: string;
      };
    }
  | {
      type: 'ack';
      /**
       * As the sender gave it in sendMessage
       */
      clientId: string;
      message: {
        id: string;
        conversationId: string;
        senderRole: 'user' | 'host' | 'admin';
        senderId: string;
        body: string;
        clientId: string | null;
        createdAt: string;
      };
    }
  | {
      type: 'typing';
      conversationId: string;
      role: 'user' | 'host' | 'admin';
    }
  | {
      type: 'read';
      conversationId: string;
      role: 'user' | 'host' | 'admin';
      lastReadAt: string;
    }
  | {
      type: 'error';
      /**
       * Stable: unauthorized (connect again), invalid_json, validation_failed, not_found, unknown_action, internal_error
       */
      code: string;
      /**
       * For people; validation_failed names the failing fields
       */
      message: string;
    };

export interface paths {
"/admin/bookings/{id}/cancel": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: AdminCancelBookingPath; cookie?: never; };
  requestBody: { content: { 'application/json': AdminCancelBookingBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminCancelBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/host-cancellations": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: AdminListHostCancellationsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminListHostCancellations200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/identity-documents": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: AdminListIdentityDocumentsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminListIdentityDocuments200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/identity-documents/{id}/approve": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: AdminApproveIdentityDocumentPath; cookie?: never; };
  requestBody: { content: { 'application/json': AdminApproveIdentityDocumentBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminApproveIdentityDocument200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/identity-documents/{id}/reject": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: AdminRejectIdentityDocumentPath; cookie?: never; };
  requestBody: { content: { 'application/json': AdminRejectIdentityDocumentBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminRejectIdentityDocument200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/listings/{id}/suspend": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: AdminSuspendListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminSuspendListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/listings/{id}/unsuspend": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: AdminUnsuspendListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminUnsuspendListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/payouts": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: AdminListPayoutsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AdminListPayouts200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/admin/payouts/{id}/retry": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: AdminRetryPayoutPath; cookie?: never; };
  requestBody?: never;
  responses: {
    202: { headers: { [name: string]: unknown }; content: { 'application/json': AdminRetryPayout202 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/auth/logout": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': AuthLogoutBody } };
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/auth/otp/request": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': AuthRequestOtpBody } };
  responses: {
    202: { headers: { [name: string]: unknown }; content: { 'application/json': AuthRequestOtp202 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/auth/otp/verify": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': AuthVerifyOtpBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AuthVerifyOtp200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/auth/refresh": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': AuthRefreshTokenBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': AuthRefreshToken200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/banks": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': BanksListBanks200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/bookings": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: BookingsListBookingsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': BookingsListBookings200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  post: {
  parameters: { query?: never; header?: BookingsCreateBookingHeader; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': BookingsCreateBookingBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': BookingsCreateBooking201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/bookings/{id}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path: BookingsGetBookingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': BookingsGetBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/bookings/{id}/cancel": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: BookingsCancelBookingPath; cookie?: never; };
  requestBody: { content: { 'application/json': BookingsCancelBookingBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': BookingsCancelBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/bookings/{id}/payment/verify": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: BookingsVerifyBookingPaymentPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': BookingsVerifyBookingPayment200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/bookings/{id}/review": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: BookingsReviewBookingPath; cookie?: never; };
  requestBody: { content: { 'application/json': BookingsReviewBookingBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': BookingsReviewBooking201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/conversations": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ConversationsListConversationsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsListConversations200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': ConversationsCreateConversationBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsCreateConversation200 }; };
    201: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsCreateConversation201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/conversations/{id}/messages": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ConversationsListMessagesQuery; header?: never; path: ConversationsListMessagesPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsListMessages200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  post: {
  parameters: { query?: never; header?: never; path: ConversationsPostMessagePath; cookie?: never; };
  requestBody: { content: { 'application/json': ConversationsPostMessageBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsPostMessage200 }; };
    201: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsPostMessage201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/conversations/{id}/read": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: ConversationsReadConversationPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ConversationsReadConversation200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/health": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: HealthGetHealthQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HealthGetHealth200 }; };
    503: { headers: { [name: string]: unknown }; content: { 'application/json': HealthGetHealth503 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/home-feed": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HomeFeedGetHomeFeed200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/bookings": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: HostListHostBookingsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostListHostBookings200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/bookings/{id}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path: HostGetHostBookingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostGetHostBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/bookings/{id}/accept": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: HostAcceptBookingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostAcceptBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/bookings/{id}/cancel": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: HostCancelBookingPath; cookie?: never; };
  requestBody: { content: { 'application/json': HostCancelBookingBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostCancelBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/bookings/{id}/decline": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: HostDeclineBookingPath; cookie?: never; };
  requestBody: { content: { 'application/json': HostDeclineBookingBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostDeclineBooking200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/bookings/{id}/review": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: HostReviewGuestPath; cookie?: never; };
  requestBody: { content: { 'application/json': HostReviewGuestBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': HostReviewGuest201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/earnings": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostGetEarnings200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/identity-documents": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostListDocuments200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': HostSubmitDocumentBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': HostSubmitDocument201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/identity-documents/upload-url": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': HostCreateDocumentUploadBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': HostCreateDocumentUpload201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/host/payout-account": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostGetPayoutAccount200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  put: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': HostSetPayoutAccountBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': HostSetPayoutAccount200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ListingsListHostListingsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsListHostListings200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': ListingsCreateListingBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsCreateListing201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path: ListingsGetHostListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsGetHostListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  delete: {
  parameters: { query?: never; header?: never; path: ListingsDeleteListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  patch: {
  parameters: { query?: never; header?: never; path: ListingsUpdateListingPath; cookie?: never; };
  requestBody: { content: { 'application/json': ListingsUpdateListingBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsUpdateListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/blocks": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: ListingsCreateBlockPath; cookie?: never; };
  requestBody: { content: { 'application/json': ListingsCreateBlockBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsCreateBlock201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/blocks/{blockId}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  delete: {
  parameters: { query?: never; header?: never; path: ListingsDeleteBlockPath; cookie?: never; };
  requestBody?: never;
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/calendar": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ListingsGetCalendarQuery; header?: never; path: ListingsGetCalendarPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsGetCalendar200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/draft": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: ListingsDraftListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsDraftListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/photos": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: ListingsAddPhotoPath; cookie?: never; };
  requestBody: { content: { 'application/json': ListingsAddPhotoBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsAddPhoto201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/photos/{photoId}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  delete: {
  parameters: { query?: never; header?: never; path: ListingsDeletePhotoPath; cookie?: never; };
  requestBody?: never;
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/photos/upload-url": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: ListingsCreatePhotoUploadPath; cookie?: never; };
  requestBody: { content: { 'application/json': ListingsCreatePhotoUploadBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsCreatePhotoUpload201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/{id}/publish": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path: ListingsPublishListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsPublishListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/public": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ListingsListPublicListingsQuery; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsListPublicListings200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/public/{id}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path: ListingsGetPublicListingPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsGetPublicListing200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/public/{id}/availability": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ListingsGetListingAvailabilityQuery; header?: never; path: ListingsGetListingAvailabilityPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsGetListingAvailability200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/public/{id}/quote": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query: ListingsGetListingQuoteQuery; header?: never; path: ListingsGetListingQuotePath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsGetListingQuote200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/listings/public/{id}/reviews": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: ListingsListListingReviewsQuery; header?: never; path: ListingsListListingReviewsPath; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': ListingsListListingReviews200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/me": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': MeGetMe200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  delete: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  patch: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': MeUpdateMeBody } };
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': MeUpdateMe200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/me/avatar/upload-url": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': MeCreateAvatarUploadBody } };
  responses: {
    201: { headers: { [name: string]: unknown }; content: { 'application/json': MeCreateAvatarUpload201 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/me/push-tokens": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  post: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody: { content: { 'application/json': MeRegisterPushTokenBody } };
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/wishlist": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: {
  parameters: { query?: never; header?: never; path?: never; cookie?: never; };
  requestBody?: never;
  responses: {
    200: { headers: { [name: string]: unknown }; content: { 'application/json': WishlistListWishlist200 }; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
"/wishlist/{listingId}": {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  put: {
  parameters: { query?: never; header?: never; path: WishlistAddToWishlistPath; cookie?: never; };
  requestBody?: never;
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
  delete: {
  parameters: { query?: never; header?: never; path: WishlistRemoveFromWishlistPath; cookie?: never; };
  requestBody?: never;
  responses: {
    204: { headers: { [name: string]: unknown }; content?: never; };
    "4XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
    "5XX": { headers: { [name: string]: unknown }; content: { 'application/json': ErrorBody }; };
  };
};
};
}

/** The operations that take an `Idempotency-Key`: the client adds one, the same on every retry. */
export const idempotentOperations: readonly string[] = ["POST /bookings"];
