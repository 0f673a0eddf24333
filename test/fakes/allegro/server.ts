import { bearerToken, header, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * Allegro REST API (specs/allegro): GET /me. 401 answers the spec's AuthError
 * `{error, error_description}`; other errors are ErrorsHolder
 * `{"errors":[{code, message, details, path, userMessage}]}`.
 */
export const allegroAccount = {
  accessToken: 'allegro-access-token-abcdef',
  userId: '46968690',
  login: 'Client:46968690',
};

const mediaType = 'application/vnd.allegro.public.v1+json';

export function startAllegroFake(account = allegroAccount): Promise<FakeServer> {
  const errorBody = (status: number, message: string) =>
    status === 401
      ? { error: 'unauthorized', error_description: message }
      : { errors: [{ code: `HTTP${status}`, message, details: null, path: null, userMessage: message }] };
  return startFakeServer({
    errorBody,
    handle(request) {
      if (request.method !== 'GET' || request.path !== '/me') return undefined;
      if (!header(request, 'accept')?.includes(mediaType)) {
        return json(406, {
          errors: [{ code: 'NotAcceptableException', message: "Not acceptable representation requested. Please check 'Accept' request header", details: null, path: null, userMessage: 'The request contains incorrect data.' }],
        });
      }
      if (bearerToken(request) !== account.accessToken) {
        return json(401, errorBody(401, 'Full authentication is required to access this resource'));
      }
      return json(200, {
        id: account.userId,
        login: account.login,
        firstName: 'Amadeusz',
        lastName: 'Iksiński',
        email: 'user-email@allegro.pl',
        baseMarketplace: { id: 'allegro-pl' },
      }, { 'content-type': mediaType });
    },
  });
}
