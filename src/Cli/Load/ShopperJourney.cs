namespace SessionInsights.Cli.Load;

internal enum Persona
{
    Browser,
    Buyer,
    Abandoner,
    Frustrated,
}

/// <summary>
/// One simulated shopper walking the shop page by page: each step is a user action that yields one
/// or more events (a click, the custom event the shop sends for it, the next page view). Personas
/// tilt the choices so that the default pattern rules (abandonment, price rage clicks…) fire for
/// some users and not for others. All randomness comes from the caller's <see cref="Random"/>.
/// </summary>
internal sealed class ShopperJourney
{
    private readonly Queue<(string SessionId, EventSpec Event)> _pending = new();
    private readonly string[] _sessionIds;
    private int _session;
    private bool _inSession;
    private int _stepsLeft;
    private string _path = "/";
    private ShopProduct _product = ShopCatalog.Products[0];
    private int _cartItems;

    public ShopperJourney(Persona persona, string[] sessionIds)
    {
        Persona = persona;
        _sessionIds = sessionIds;
    }

    public Persona Persona { get; }

    /// <summary>The next event and the session it belongs to.</summary>
    public (string SessionId, EventSpec Event) Next(Random random)
    {
        if (_pending.Count == 0)
        {
            if (!_inSession)
            {
                StartSession(random);
            }
            else if (_stepsLeft <= 0)
            {
                EndSession();
            }
            else
            {
                Step(random);
            }
        }
        return _pending.Dequeue();
    }

    private void StartSession(Random random)
    {
        _inSession = true;
        _stepsLeft = random.Next(8, 40);
        _cartItems = 0;
        _product = Pick(random, ShopCatalog.Products);
        // Most visits land on the home page; some come from ads or search straight to a product.
        _path = random.Next(10) switch
        {
            < 6 => "/",
            < 8 => "/products",
            _ => _product.PagePath,
        };
        View(_path);
    }

    private void EndSession()
    {
        Enqueue(new EventSpec("$pageleave", _path));
        _inSession = false;
        _session = (_session + 1) % _sessionIds.Length;
    }

    private void Step(Random random)
    {
        _stepsLeft--;
        switch (_path)
        {
            case "/":
                Home(random);
                break;
            case "/products":
                Listing(random);
                break;
            case "/cart":
                Cart(random);
                break;
            case "/checkout":
                Checkout(random);
                break;
            case "/order-confirmation" or "/about":
                Click(ElementsChains.NavButton("Shop", "home", 1), "Shop");
                View("/products");
                break;
            default:
                ProductPage(random);
                break;
        }
    }

    private void Home(Random random)
    {
        switch (Choose(random, 5, 3, 1, 1))
        {
            case 0:
                Click(ElementsChains.NavButton("Shop", "home", 1), "Shop");
                View("/products");
                break;
            case 1:
                Click(ElementsChains.HeroButton("Shop Now"), "Shop Now");
                View("/products");
                break;
            case 2:
                Click(ElementsChains.NavButton("About", "about", 2), "About");
                View("/about");
                break;
            default:
                Dead(ElementsChains.Logo(), "SkyTech Drones");
                break;
        }
    }

    private void Listing(Random random)
    {
        var position = random.Next(1, ShopCatalog.Products.Count + 1);
        var product = ShopCatalog.Products[position - 1];
        switch (Choose(random, 15, 50, 8, Persona == Persona.Frustrated ? 15 : 3, 4, _cartItems > 0 ? 15 : 0))
        {
            case 0:
                var index = random.Next(ShopCatalog.Categories.Count);
                var category = ShopCatalog.Categories[index];
                Click(ElementsChains.CategoryFilter(category, index + 1), category);
                Emit("filter_changed", ("filter_type", "category"), ("filter_value", category));
                break;
            case 1:
                _product = product;
                Click(random.Next(3) == 0 ? ElementsChains.ProductImage(product, position) : ElementsChains.ProductCard(product, position), product.Name);
                Emit("product_clicked", ("product_name", product.Name), ("product_id", product.Id), ("price", product.Price), ("category", product.Category));
                View(product.PagePath);
                break;
            case 2:
                Click(ElementsChains.FavoriteIcon(product, position), null);
                Emit("toggle_favorite", ("product_name", product.Name), ("is_favorite", random.Next(2) == 0));
                break;
            case 3:
                Rage(ElementsChains.Price(product), product.PriceText);
                break;
            case 4:
                var available = $"{ShopCatalog.Products.Count} products available";
                Dead(ElementsChains.DeadText(available), available);
                break;
            default:
                Click(ElementsChains.CartIcon(_cartItems), _cartItems.ToString(System.Globalization.CultureInfo.InvariantCulture));
                View("/cart");
                break;
        }
    }

    private void ProductPage(Random random)
    {
        var p = _product;
        var addWeight = Persona switch { Persona.Buyer => 40, Persona.Abandoner => 35, _ => 15 };
        switch (Choose(random, addWeight, Persona == Persona.Frustrated ? 20 : 3, 10, 4, _cartItems > 0 ? 20 : 0, 25))
        {
            case 0:
                Click(ElementsChains.AddToCart(p), "Add to Cart");
                _cartItems++;
                Emit("item_added_to_cart", ("product_name", p.Name), ("product_id", p.Id), ("price", p.Price), ("quantity", 1));
                break;
            case 1:
                Rage(ElementsChains.Price(p), p.PriceText);
                break;
            case 2:
                Click(ElementsChains.ProductImage(p, 1), p.Name);
                break;
            case 3:
                Click(ElementsChains.ActionButton("Watch Demo", "watch-demo"), "Watch Demo");
                break;
            case 4:
                Click(ElementsChains.ActionButton("View Cart", "view-cart"), "View Cart");
                View("/cart");
                break;
            default:
                Click(ElementsChains.NavButton("Shop", "home", 1), "Shop");
                View("/products");
                break;
        }
    }

    private void Cart(Random random)
    {
        var p = _product;
        var checkoutWeight = Persona switch { Persona.Buyer => 50, Persona.Abandoner => 40, _ => 15 };
        switch (Choose(random, checkoutWeight, 20, Persona == Persona.Frustrated ? 8 : 0, _cartItems > 0 ? 8 : 0, 20))
        {
            case 0:
                Click(ElementsChains.ActionButton("Checkout", "checkout"), "Checkout");
                View("/checkout");
                break;
            case 1:
                Click(ElementsChains.QuantityButton("+", p), "+");
                Emit("update_cart_quantity", ("product_name", p.Name), ("quantity", random.Next(2, 5)));
                break;
            case 2:
                Rage(ElementsChains.QuantityButton("+", p), "+");
                break;
            case 3:
                Click(ElementsChains.ActionButton("Remove", "remove-from-cart", "text-sm text-red-600 hover:underline"), "Remove");
                _cartItems--;
                Emit("remove_from_cart", ("product_name", p.Name), ("product_id", p.Id));
                break;
            default:
                Click(ElementsChains.ActionButton("Continue Shopping", "continue-shopping", "px-4 py-3 border border-gray-300 rounded-lg"), "Continue Shopping");
                View("/products");
                break;
        }
    }

    private void Checkout(Random random)
    {
        var completeWeight = Persona switch { Persona.Buyer => 8, Persona.Abandoner => 0, _ => 4 };
        switch (Choose(random, completeWeight, Persona == Persona.Frustrated ? 3 : 0, 4))
        {
            case 0:
                var items = Math.Max(1, _cartItems);
                Click(ElementsChains.PlaceOrder(), "Place Order", domEventType: "submit");
                Emit("order_completed", ("order_id", $"ord-{random.Next(100_000, 999_999)}"), ("total", _product.Price * items), ("items", items));
                _cartItems = 0;
                View("/order-confirmation");
                break;
            case 1:
                Rage(ElementsChains.ActionButton("Checkout", "checkout"), "Checkout");
                break;
            default:
                // Walks away from the checkout: the session ends here.
                EndSession();
                break;
        }
    }

    private void View(string path)
    {
        _path = path;
        Enqueue(new EventSpec("$pageview", path));
    }

    private void Click(string chain, string? text, string domEventType = "click") =>
        Enqueue(new EventSpec("$autocapture", _path, chain, domEventType, text));

    private void Rage(string chain, string text) => Enqueue(new EventSpec("$rageclick", _path, chain, "click", text));

    private void Dead(string chain, string text) => Enqueue(new EventSpec("$dead_click", _path, chain, "click", text));

    private void Emit(string name, params (string Key, object Value)[] properties) =>
        Enqueue(new EventSpec(name, _path, Properties: [.. properties.Select(p => KeyValuePair.Create(p.Key, p.Value))]));

    private void Enqueue(EventSpec e) => _pending.Enqueue((_sessionIds[_session], e));

    /// <summary>The index of one choice, drawn with probability proportional to its weight (0 = never).</summary>
    private static int Choose(Random random, params int[] weights)
    {
        var roll = random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if (roll < weights[i])
            {
                return i;
            }
            roll -= weights[i];
        }
        return weights.Length - 1;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
